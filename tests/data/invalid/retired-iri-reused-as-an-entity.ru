# shape: RetiredIriShape
# message: never reused
INSERT DATA { GRAPH graph:minutes-1 {
    person:bo-speaker owl:deprecated true ; dcterms:type schema:Person ;
        rdfs:label "Bo Speaker"@en ; skos:historyNote "Dropped."@en ;
        prov:invalidatedAtTime "2026-12-01T00:00:00Z"^^xsd:dateTime .
} }
