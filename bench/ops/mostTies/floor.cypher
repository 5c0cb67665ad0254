// The 50 managed organisations with the most joint-building ties in force on $today, ties
// broken by id.
MATCH (o:Organization) WHERE o.sector IN $sectors
// ==================== THE DEFINITION OF "TIES" (cobuild's sort TIES) ====================
// cobuild: orgJointTies and jointTieCount in neo4jstore/cypher.go; the peer:
// Organization.ties in ../../peer/typedefs.graphql. Change both together.
WITH o,
  COUNT { MATCH (o)-[r:MEMBER_OF]->() WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  + COUNT { MATCH (o)-[r:CO_BUILDS_WITH]-() WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  + COUNT { MATCH (o)<-[r:PLACED_AT|APPRENTICED_AT|TRAINED_AT]-()
            WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) }
  + COUNT { MATCH (o)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $today }
  + COUNT { MATCH (o)<-[w:WORKS_AT]-(p:Person)
            WHERE (w.since IS NULL OR w.since <= $today) AND (w.until IS NULL OR w.until > $today)
              AND EXISTS { MATCH (p)-[m:MENTORS]-(:Person)
                           WHERE (m.since IS NULL OR m.since <= $today) AND (m.until IS NULL OR m.until > $today) } } AS ties
// ========================================================================================
ORDER BY ties DESC, o.id
LIMIT $first
RETURN o.id AS id, o.name AS name, ties
