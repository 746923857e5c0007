# shape: OrganizationShape
# message: schema.org organization class
DELETE WHERE { GRAPH ?g { organization:civic-lab a schema:NGO } }
