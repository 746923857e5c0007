# shape: FigureShape
# message: numeric schema:value
DELETE WHERE { GRAPH ?g { figure:members schema:value ?value } } ;
INSERT DATA { GRAPH graph:minutes-2 { figure:members schema:value "twelve" } }
