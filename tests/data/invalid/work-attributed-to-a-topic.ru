# shape: AttributedWorkShape
# message: people, organizations or programmes
INSERT DATA { GRAPH graph:minutes-2 { strategy:test-strategy prov:wasAttributedTo topic:openness } }
