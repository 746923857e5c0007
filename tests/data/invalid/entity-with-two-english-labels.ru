# shape: EntityShape
# message: exactly one skos:prefLabel in the forum's main language ("en")
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome skos:prefLabel "Hello"@en } }
