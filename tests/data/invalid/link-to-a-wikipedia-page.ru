# shape: ExternalLinkShape
# message: by its entity IRI
INSERT DATA { GRAPH graph:editorial { place:testland schema:sameAs <https://en.wikipedia.org/wiki/Morocco> } }
