// The shortest chain of MEMBER_OF ties in force on $today, either direction, at most 6,
// between two organisations.
OPTIONAL MATCH p = SHORTEST 1 (:Organization {id: $from})
  (()-[r:MEMBER_OF]-() WHERE (r.since IS NULL OR r.since <= $today) AND (r.until IS NULL OR r.until > $today)){1,6}
  (:Organization {id: $to})
RETURN p IS NOT NULL AS found, length(p) AS hops
