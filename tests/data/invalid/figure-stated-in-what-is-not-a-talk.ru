# shape: FigureShape
# message: names the talk the figure was reported in
DELETE { GRAPH graph:minutes-2 { figure:members ofo:statedIn talk:plans } }
INSERT { GRAPH graph:minutes-2 { figure:members ofo:statedIn forum:test-forum } }
WHERE { GRAPH graph:minutes-2 { figure:members ofo:statedIn talk:plans } }
