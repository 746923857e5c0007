# shape: SpeakerShape
# message: must hold a post
DELETE WHERE { GRAPH ?g { person:cy-guest org:memberOf ?organization } }
