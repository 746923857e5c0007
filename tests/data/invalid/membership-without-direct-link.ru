# shape: MembershipShape
# message: direct schema:memberOf link
DELETE WHERE { GRAPH ?g { organization:civic-lab schema:memberOf ?programme } }
