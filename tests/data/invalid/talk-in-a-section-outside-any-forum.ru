# shape: TalkInForumShape
# message: does not belong to a forum
DELETE WHERE { GRAPH ?g { session:opening schema:superEvent ?forum } }
