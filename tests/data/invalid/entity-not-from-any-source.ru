# shape: SourcedEntityShape
# message: not stated in any graph taken from a source section
INSERT DATA { GRAPH graph:editorial { place:nowhere a schema:Place ; skos:prefLabel "Nowhere"@en ; schema:name "Nowhere"@en . } }
