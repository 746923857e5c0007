# shape: CleanTextShape
# message: run of spaces
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome schema:description "two  spaces"@en } }
