# shape: PlanShape
# message: also prov:Plan
DELETE WHERE { GRAPH ?g { strategy:test-strategy a prov:Plan } }
