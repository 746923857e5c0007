# shape: EntityShape
# message: repeats the preferred label
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome skos:altLabel "Welcome"@en } }
