# shape: StatementShape
# message: exactly one schema:text
DELETE WHERE { GRAPH ?g { conclusion:1 schema:text ?text } }
