# shape: TalkShape
# message: is the agenda order
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome schema:position 9 } }
