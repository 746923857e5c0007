# shape: OrganizationShape
# message: W3C ORG class
DELETE WHERE { GRAPH ?g { organization:civic-lab a org:FormalOrganization } }
