# shape: EntityShape
# message: both an alternative and a hidden label
INSERT DATA { GRAPH graph:minutes-1 { organization:civic-lab skos:altLabel "CLab"@en ; skos:hiddenLabel "CLab"@en } }
