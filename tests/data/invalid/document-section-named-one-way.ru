# shape: SourceDocumentShape
# message: does not name this document
DELETE WHERE { GRAPH ?g { section:minutes-2 schema:isPartOf ?document } }
