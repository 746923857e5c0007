# shape: SourceDocumentShape
# message: a source document is about a forum
INSERT DATA { GRAPH graph:sources { document:minutes schema:about place:testland } }
