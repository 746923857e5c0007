# shape: PlaceShape
# message: 
INSERT DATA { GRAPH graph:minutes-1 { place:testland schema:url <http://example.org/> } }
