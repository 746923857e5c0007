# shape: StatementShape
# message: in the forum's main language ("en"), verbatim
DELETE WHERE { GRAPH ?g { conclusion:1 schema:text ?text } } ;
INSERT DATA { GRAPH graph:minutes-2 { conclusion:1 schema:text "Tout ouvrir."@fr } }
