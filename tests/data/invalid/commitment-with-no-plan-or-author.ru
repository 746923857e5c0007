# shape: CommitmentShape
# message: 
DELETE WHERE { GRAPH ?g { plan:test-plan schema:hasPart commitment:second . commitment:second schema:isPartOf plan:test-plan } }
