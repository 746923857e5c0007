# shape: ActionPlanShape
# message: more than stated
DELETE WHERE { GRAPH ?g { plan:test-plan ofo:commitmentCount ?count } } ;
INSERT DATA { GRAPH graph:minutes-2 { plan:test-plan ofo:commitmentCount 1 } }
