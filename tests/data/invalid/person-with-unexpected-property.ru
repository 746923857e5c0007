# shape: PersonShape
# message: 
INSERT DATA { GRAPH graph:minutes-1 { person:cy-guest schema:birthDate "1990-01-01"^^xsd:date } }
