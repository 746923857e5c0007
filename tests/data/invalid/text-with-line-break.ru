# shape: CleanTextShape
# message: line break
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome schema:description "two\nlines"@en } }
