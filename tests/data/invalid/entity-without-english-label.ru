# shape: EntityShape
# message: exactly one skos:prefLabel in the forum's main language ("en")
DELETE WHERE { GRAPH ?g { talk:welcome skos:prefLabel ?label } }
