# shape: TalkShape
# message: integer from 1
DELETE WHERE { GRAPH ?g { talk:welcome ofo:agendaOrder ?order } } ;
INSERT DATA { GRAPH graph:minutes-1 { talk:welcome ofo:agendaOrder 0 } }
