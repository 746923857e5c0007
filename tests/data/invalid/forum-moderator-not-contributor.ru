# shape: ForumShape
# message: moderator must also be stated
DELETE WHERE { GRAPH ?g { forum:test-forum schema:contributor ?person } }
