# shape: MembershipShape
# message: exactly one member
INSERT DATA { GRAPH graph:minutes-2 { membership:civic-lab-open-network org:member person:bo-speaker } }
