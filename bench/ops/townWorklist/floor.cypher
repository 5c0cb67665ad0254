// The isolated and uncovered managed organisations of the town on $today: the first 50 by
// name (then id), and how many there are. The predicates are cobuild's (neo4jstore/cypher.go:
// coverage and connected).
MATCH (o:Organization)-[:LOCATED_IN]->(:Area {id: $areaId})
WHERE o.sector IN $sectors
  // uncovered: no own party organisation, no covering one, no instructor, liaison or mass branch
  AND NOT EXISTS { MATCH (o)-[r:HAS_PARTY_ORG]->()
                   WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  AND NOT EXISTS { MATCH (o)-[r:COVERED_BY]->()
                   WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  AND NOT EXISTS { MATCH (o)<-[r:ASSIGNED_TO]-() WHERE r.role IN ['INSTRUCTOR', 'LIAISON']
                   AND (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  AND NOT EXISTS { MATCH (o)<-[r:FORMED_IN]-() WHERE r.since IS NULL OR r.since <= $today }
  // isolated: no joint-building tie in force
  AND NOT EXISTS { MATCH (o)-[r:MEMBER_OF|CO_BUILDS_WITH|PLACED_AT|APPRENTICED_AT|TRAINED_AT]-()
                   WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  AND NOT EXISTS { MATCH (o)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $today }
  AND NOT EXISTS { MATCH (o)<-[w:WORKS_AT]-(:Person)-[m:MENTORS]-(:Person)
                   WHERE (w.since IS NULL OR w.since <= $today) AND (w.until IS NULL OR w.until > $today)
                     AND (m.since IS NULL OR m.since <= $today) AND (m.until IS NULL OR m.until > $today) }
WITH o ORDER BY o.name, o.id
WITH collect(o {.id, .name}) AS rows
RETURN size(rows) AS totalCount, rows[0..$first] AS nodes
