# shape: PostShape
# message: does not state org:holds
DELETE WHERE { GRAPH ?g { person:bo-speaker org:holds ?post } }
