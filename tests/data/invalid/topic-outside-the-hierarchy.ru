# shape: ConceptShape
# message: 
DELETE WHERE { GRAPH ?g { topic:openness skos:topConceptOf ?scheme } }
