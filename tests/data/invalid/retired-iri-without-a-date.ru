# shape: RetiredIriShape
# message: prov:invalidatedAtTime
INSERT DATA { GRAPH graph:minutes-1 {
    person:bo-spekaer owl:deprecated true ; dcterms:type schema:Person ;
        rdfs:label "Bo Spekaer"@en ; skos:historyNote "Misspelt."@en ;
        prov:invalidatedAtTime "2026-12-01"^^xsd:date .
} }
