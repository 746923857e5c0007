# shape: ForumShape
# message: exactly one lead organizer
DELETE WHERE { GRAPH ?g { forum:test-forum ofo:leadOrganizer ?lead } }
