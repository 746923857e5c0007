# shape: EntityShape
# message: disagree in English
DELETE DATA { GRAPH graph:minutes-1 { talk:welcome schema:name "Welcome"@en } } ;
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome schema:name "Welcome!"@en } }
