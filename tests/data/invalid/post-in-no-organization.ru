# shape: PostShape
# message: exactly one organization
DELETE WHERE { GRAPH ?g { post:director-civic-lab org:postIn ?organization } }
