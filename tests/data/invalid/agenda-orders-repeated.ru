# shape: AgendaRulesShape
# message: share agenda order
DELETE WHERE { GRAPH ?g { talk:plans ofo:agendaOrder ?order } } ;
INSERT DATA { GRAPH graph:minutes-1 { talk:plans ofo:agendaOrder 1 } }
