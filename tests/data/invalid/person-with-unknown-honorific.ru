# shape: PersonShape
# message: honorificPrefix
INSERT DATA { GRAPH graph:minutes-1 { person:cy-guest schema:honorificPrefix "Sir"@en } }
