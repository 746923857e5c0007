# shape: AgendaSectionShape
# message: exactly one ofo:agendaOrder
DELETE WHERE { GRAPH ?g { session:opening ofo:agendaOrder ?order } }
