# shape: SpeakerShape
# message: neither speaks in a talk nor moderates
INSERT DATA { GRAPH graph:minutes-1 { person:dee-bystander a schema:Person, foaf:Person ; skos:prefLabel "Dee Bystander"@en ; schema:name "Dee Bystander"@en ; foaf:name "Dee Bystander"@en . } }
