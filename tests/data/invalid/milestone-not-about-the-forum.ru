# shape: MilestoneShape
# message: about the forum that marked it
DELETE WHERE { GRAPH ?g { milestone:1 schema:about ?forum } }
