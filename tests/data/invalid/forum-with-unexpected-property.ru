# shape: ForumShape
# message: 
INSERT DATA { GRAPH graph:minutes-1 { forum:test-forum schema:areaServed place:testland } }
