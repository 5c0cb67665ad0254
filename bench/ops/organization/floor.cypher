// One organisation by name (the first by id), with all its ties in force on $today.
MATCH (o:Organization {name: $name})
WITH o ORDER BY o.id LIMIT 1
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.creditCode AS creditCode,
  o.headcount AS headcount, o.partyMembers AS partyMembers,
  COLLECT { MATCH (o)-[:LOCATED_IN]->(a:Area) RETURN a {.id, .name} } AS area,
  COLLECT { MATCH (o)-[:IN_PARK]->(a:Area) RETURN a {.id, .name} } AS park,
  COLLECT { MATCH (o)-[:IN_COMMUNITY]->(c:Organization) RETURN c {.id, .name} } AS community,
  COLLECT { MATCH (o)-[:IN_INDUSTRY]->(i:Industry) RETURN i {.id, .name} } AS industry,
  COLLECT { MATCH (o)-[r:HAS_PARTY_ORG]->(p:PartyOrg)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN p {.id, .name, .kind, since: r.since} } AS partyOrganizations,
  COLLECT { MATCH (o)-[r:COVERED_BY]->(p:PartyOrg)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN p {.id, .name, mode: r.mode, since: r.since} } AS coveredBy,
  COLLECT { MATCH (o)-[r:MEMBER_OF]->(h)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN h {.id, .name, .kind, role: r.role, since: r.since} } AS memberships,
  COLLECT { MATCH (o)-[r:CO_BUILDS_WITH]-(x:Organization)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN x {.id, .name, mode: r.mode, since: r.since} } AS coBuilds,
  COLLECT { MATCH (o)<-[r:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT]-(p:Person)
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)
            RETURN p {.id, .name, type: type(r), role: r.role, since: r.since} } AS people,
  COLLECT { MATCH (o)-[:HELD|ATTENDED]->(e:Event) RETURN e {.id, .name, .kind, .date} } AS events,
  COLLECT { MATCH (o)<-[:FORMED_IN]-(b:MassBranch) RETURN b {.id, .name, .kind} } AS massBranches
