# shape: RetiredIriShape
# message: why it was retired
INSERT DATA { GRAPH graph:minutes-1 {
    person:bo-spekaer owl:deprecated true ; dcterms:type schema:Person ;
        rdfs:label "Bo Spekaer"@en ;
        prov:invalidatedAtTime "2026-12-01T00:00:00Z"^^xsd:dateTime .
} }
