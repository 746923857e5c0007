# shape: StatementShape
# message: in English
DELETE WHERE { GRAPH ?g { conclusion:1 schema:text ?text } } ;
INSERT DATA { GRAPH graph:minutes-2 { conclusion:1 schema:text "Tout ouvrir."@fr } }
