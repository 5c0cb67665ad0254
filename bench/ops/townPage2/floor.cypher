// The second page of townPage, by keyset: after the last row of the first page
// ($afterName, $afterId), fetched once before timing.
MATCH (o:Organization)-[:LOCATED_IN]->(:Area {id: $areaId})
WHERE o.kind = 'ENTERPRISE' AND o.operating AND o.partyMembers >= 1 AND o.partyMembers <= 10
  AND (o.name > $afterName OR (o.name = $afterName AND o.id > $afterId))
WITH o ORDER BY o.name, o.id LIMIT $first + 1
RETURN o.id AS id, o.name AS name, o.partyMembers AS partyMembers,
  COLLECT { MATCH (o)-[r:HAS_PARTY_ORG]->(p:PartyOrg)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN p {.id, .name} } AS partyOrganizations,
  COLLECT { MATCH (o)-[r:MEMBER_OF]->(h)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN h {.id, .name, role: r.role} } AS memberships
