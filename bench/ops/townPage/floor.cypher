// The first page of 50 (and whether there is more) operating enterprises of the town with 1
// to 10 full party members, by name then id, with own party organisations and memberships
// in force on $today.
MATCH (o:Organization)-[:LOCATED_IN]->(:Area {id: $areaId})
WHERE o.kind = 'ENTERPRISE' AND o.operating AND o.partyMembers >= 1 AND o.partyMembers <= 10
WITH o ORDER BY o.name, o.id LIMIT $first + 1
RETURN o.id AS id, o.name AS name, o.partyMembers AS partyMembers,
  COLLECT { MATCH (o)-[r:HAS_PARTY_ORG]->(p:PartyOrg)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN p {.id, .name} } AS partyOrganizations,
  COLLECT { MATCH (o)-[r:MEMBER_OF]->(h)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN h {.id, .name, role: r.role} } AS memberships
