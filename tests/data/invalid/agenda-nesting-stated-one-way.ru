# shape: AgendaRulesShape
# message: does not list it as a subEvent
DELETE WHERE { GRAPH ?g { session:opening schema:subEvent talk:plans } }
