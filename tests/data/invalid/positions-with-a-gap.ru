# shape: PositionRulesShape
# message: has no predecessor
DELETE WHERE { GRAPH ?g { commitment:second schema:position ?position } } ;
INSERT DATA { GRAPH graph:minutes-2 { commitment:second schema:position 3 } }
