"""RDF basics every stage shares: the table of formats, the sorted writers, JSON-LD, small
graphs for descriptions, vocabulary labels, and the conversions to and from rdflib."""
