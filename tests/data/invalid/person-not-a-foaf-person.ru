# shape: PersonShape
# message: also a foaf:Person
DELETE WHERE { GRAPH ?g { person:cy-guest a foaf:Person } }
