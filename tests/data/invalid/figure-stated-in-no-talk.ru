# shape: FigureShape
# message: names the talk it was reported in
DELETE DATA { GRAPH graph:minutes-2 { figure:members ofo:statedIn talk:plans } }
