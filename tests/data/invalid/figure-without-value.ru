# shape: FigureShape
# message: exactly one numeric schema:value
DELETE WHERE { GRAPH ?g { figure:members schema:value ?value } }
