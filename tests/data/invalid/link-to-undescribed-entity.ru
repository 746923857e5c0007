# shape: NoDanglingLinkShape
# message: has no type or no preferred label
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome schema:about topic:nothing } }
