# shape: CommitmentShape
# message: does not list this commitment
DELETE WHERE { GRAPH ?g { plan:test-plan schema:hasPart commitment:second } }
