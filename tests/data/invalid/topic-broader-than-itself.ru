# shape: ConceptShape
# message: broader than itself
INSERT DATA { GRAPH graph:editorial { topic:openness skos:broader topic:openness } }
