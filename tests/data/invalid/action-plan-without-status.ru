# shape: ActionPlanShape
# message: needs its status
DELETE WHERE { GRAPH ?g { plan:test-plan schema:creativeWorkStatus ?status } }
