# shape: LegislationShape
# message: legislationJurisdiction is a place
INSERT DATA { GRAPH graph:minutes-2 { law:test-law schema:legislationJurisdiction organization:civic-lab } }
