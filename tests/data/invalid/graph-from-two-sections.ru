# shape: SourcedGraphShape
# message: exactly one source section
INSERT DATA { GRAPH graph:sources { graph:minutes-1 prov:wasDerivedFrom section:minutes-2 } }
