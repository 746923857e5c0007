# shape: AgendaRulesShape
# message: has no predecessor
DELETE WHERE { GRAPH ?g { talk:plans ofo:agendaOrder ?order } } ;
INSERT DATA { GRAPH graph:minutes-1 { talk:plans ofo:agendaOrder 3 } }
