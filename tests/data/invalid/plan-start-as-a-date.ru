# shape: PlanShape
# message: schema:startDate of a plan: at most one, a year
INSERT DATA { GRAPH graph:minutes-2 { plan:test-plan schema:startDate "2021-03-04"^^xsd:date } }
