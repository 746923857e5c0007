# shape: EntityShape
# message: language-tagged
INSERT DATA { GRAPH graph:minutes-1 { person:cy-guest skos:altLabel "Cy" } }
