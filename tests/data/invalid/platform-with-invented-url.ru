# shape: PlatformShape
# message: no URL
INSERT DATA { GRAPH graph:minutes-2 { platform:test-portal schema:url <https://portal.example/> } }
