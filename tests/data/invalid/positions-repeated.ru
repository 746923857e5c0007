# shape: PositionRulesShape
# message: share position
DELETE WHERE { GRAPH ?g { commitment:second schema:position ?position } } ;
INSERT DATA { GRAPH graph:minutes-2 { commitment:second schema:position 1 } }
