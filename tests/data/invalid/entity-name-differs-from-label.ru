# shape: EntityShape
# message: disagree in the forum's main language ("en")
DELETE DATA { GRAPH graph:minutes-1 { talk:welcome schema:name "Welcome"@en } } ;
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome schema:name "Welcome!"@en } }
