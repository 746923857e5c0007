# shape: EntityShape
# message: exactly one English skos:prefLabel
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome skos:prefLabel "Hello"@en } }
