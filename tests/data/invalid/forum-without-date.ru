# shape: ForumShape
# message: exactly one schema:startDate
DELETE WHERE { GRAPH ?g { forum:test-forum schema:startDate ?date } }
