# shape: ConceptSchemeShape
# message: at least one top concept
DELETE WHERE { GRAPH ?g { scheme:topics skos:hasTopConcept ?concept } }
