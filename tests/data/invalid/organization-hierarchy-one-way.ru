# shape: OrganizationShape
# message: linked one way only
INSERT DATA { GRAPH graph:minutes-1 { organization:civic-lab org:subOrganizationOf programme:open-network } }
