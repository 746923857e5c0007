# shape: StatedShape
# message: names the person who said it
INSERT DATA { GRAPH graph:minutes-2 { strategy:test-strategy ofo:statedIn talk:plans } }
