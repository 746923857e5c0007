# shape: ProgrammeShape
# message: a programme's schema:areaServed is a place
INSERT DATA { GRAPH graph:minutes-1 { programme:open-network schema:areaServed topic:openness } }
