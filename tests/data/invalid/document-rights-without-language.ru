# shape: SourceDocumentShape
# message: a text with its language
DELETE { GRAPH ?g { document:minutes <http://purl.org/dc/elements/1.1/rights> ?rights } }
INSERT { GRAPH ?g { document:minutes <http://purl.org/dc/elements/1.1/rights> "No rights are known." } }
WHERE { GRAPH ?g { document:minutes <http://purl.org/dc/elements/1.1/rights> ?rights } }
