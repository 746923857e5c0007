# shape: PlanShape
# message: interval of years
DELETE WHERE { GRAPH ?g { plan:test-plan schema:temporalCoverage ?period } } ;
INSERT DATA { GRAPH graph:minutes-2 { plan:test-plan schema:temporalCoverage "2020-2022" } }
