# shape: PlaceShape
# message: contained in itself
INSERT DATA { GRAPH graph:minutes-1 { place:testland schema:containedInPlace place:testland } }
