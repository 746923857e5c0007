# shape: EventShape
# message: must be an organization
INSERT DATA { GRAPH graph:minutes-1 { session:opening schema:organizer topic:openness } }
