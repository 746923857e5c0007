# shape: RetiredIriShape
# message: not a live entity
INSERT DATA { GRAPH graph:minutes-1 {
    person:bo-spekaer owl:deprecated true ; dcterms:type schema:Person ;
        dcterms:isReplacedBy person:nobody-at-all ;
        rdfs:label "Bo Spekaer"@en ; skos:historyNote "Misspelt."@en ;
        prov:invalidatedAtTime "2026-12-01T00:00:00Z"^^xsd:dateTime .
} }
