# shape: ConceptShape
# message: French preferred label
DELETE WHERE { GRAPH ?g { topic:openness skos:prefLabel "ouverture"@fr } }
