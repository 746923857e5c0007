# shape: ConceptShape
# message: preferred label in the forum's second language ("fr")
DELETE WHERE { GRAPH ?g { topic:openness skos:prefLabel "ouverture"@fr } }
