# shape: SourceSectionShape
# message: not after its last line
DELETE WHERE { GRAPH ?g { section:minutes-2 ofo:firstLine ?line } } ;
INSERT DATA { GRAPH graph:sources { section:minutes-2 ofo:firstLine 25 } }
