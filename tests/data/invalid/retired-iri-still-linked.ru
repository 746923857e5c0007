# shape: RetiredIriShape
# message: a live statement still points to the retired IRI
INSERT DATA { GRAPH graph:minutes-1 {
    person:bo-spekaer owl:deprecated true ; dcterms:type schema:Person ;
        rdfs:label "Bo Spekaer"@en ; skos:historyNote "Misspelt."@en ;
        prov:invalidatedAtTime "2026-12-01T00:00:00Z"^^xsd:dateTime .
    person:ada-moderator schema:knows person:bo-spekaer .
} }
