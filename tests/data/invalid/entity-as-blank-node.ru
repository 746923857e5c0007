# shape: EntityShape
# message: 
INSERT DATA { GRAPH graph:minutes-1 { _:anonymous a schema:Place ; skos:prefLabel "Somewhere"@en . } }
