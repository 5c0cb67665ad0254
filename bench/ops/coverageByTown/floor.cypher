// Coverage counts and rate by town (the LOCATED_IN area) on $today for the managed sectors:
// organisations, operating ones, and among those own and joint coverage (own wins).
MATCH (o:Organization) WHERE o.sector IN $sectors
OPTIONAL MATCH (o)-[:LOCATED_IN]->(a:Area)
WITH a.id AS areaId, o.operating AS operating,
  EXISTS { MATCH (o)-[r:HAS_PARTY_ORG]->()
           WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) } AS own,
  EXISTS { MATCH (o)-[r:COVERED_BY]->()
           WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today) } AS covered
WITH areaId, count(*) AS organizations,
  count(CASE WHEN operating THEN 1 END) AS operating,
  count(CASE WHEN operating AND own THEN 1 END) AS own,
  count(CASE WHEN operating AND NOT own AND covered THEN 1 END) AS joint
RETURN areaId, organizations, operating, own, joint,
  CASE WHEN operating = 0 THEN null ELSE toFloat(own + joint) / operating END AS coverageRate
