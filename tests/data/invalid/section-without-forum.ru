# shape: AgendaSectionShape
# message: belongs to exactly one forum
DELETE WHERE { GRAPH ?g { session:opening schema:superEvent ?forum } }
