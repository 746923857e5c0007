# shape: TalkShape
# message: at least one speaker
DELETE WHERE { GRAPH ?g { talk:plans schema:performer ?person } }
