# shape: OrganizationShape
# message: schema:areaServed is a place
INSERT DATA { GRAPH graph:minutes-1 { organization:civic-lab schema:areaServed topic:openness } }
