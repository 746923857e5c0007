# shape: RetiredIriShape
# message: a retired IRI is an entity IRI
INSERT DATA { GRAPH graph:minutes-1 {
    <id/person/Bo_Spekaer> owl:deprecated true ; dcterms:type schema:Person ;
        rdfs:label "Bo Spekaer"@en ; skos:historyNote "Misspelt."@en ;
        prov:invalidatedAtTime "2026-12-01T00:00:00Z"^^xsd:dateTime .
} }
