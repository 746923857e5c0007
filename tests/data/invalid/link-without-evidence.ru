# shape: LinkEvidenceShape
# message: without the page that confirms it
INSERT DATA { GRAPH graph:editorial { place:testland owl:sameAs <http://www.wikidata.org/entity/Q1028> } }
