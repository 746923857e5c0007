# shape: ConclusionShape
# message: names the forum it came out of
DELETE WHERE { GRAPH ?g { conclusion:1 prov:wasGeneratedBy ?forum } }
