# shape: EntityShape
# message: exactly one English skos:prefLabel
DELETE WHERE { GRAPH ?g { talk:welcome skos:prefLabel ?label } }
