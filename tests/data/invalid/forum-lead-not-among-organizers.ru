# shape: ForumShape
# message: lead organizer must also be stated
DELETE WHERE { GRAPH ?g { forum:test-forum schema:organizer ?organizer } }
