# shape: FigureShape
# message: names the person who reported the figure
INSERT DATA { GRAPH graph:minutes-2 { figure:members ofo:statedBy organization:civic-lab } }
