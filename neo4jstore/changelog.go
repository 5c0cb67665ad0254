package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// The change log is a :ChangeLog {id: 'log', seq} node and one :Change node per write
// transaction (docs/graph-model.md). Every write first sets a property of the log node,
// which takes its write lock until the transaction ends: writes are serialised, so the
// sequence numbers they take increase in the order they commit, and a follower reading
// "after n" never sees n+2 before n+1.

// lockLog takes the log's lock in a write transaction and returns the last sequence
// number.
func (s *Store) lockLog(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
	rows, err := collect(ctx, s, tx, `MERGE (l:ChangeLog {id: 'log'}) ON CREATE SET l.seq = 0
		SET l.lockedAt = datetime() RETURN l.seq AS seq`, nil, func(r *neo4j.Record) (int64, error) {
		v, _, err := neo4j.GetRecordValue[int64](r, "seq")
		return v, err
	})
	if err != nil {
		return 0, err
	}
	return rows[0], nil
}

// appendChange writes c as the next change of the log (the lock is held) and sets its
// sequence number and time.
func (s *Store) appendChange(ctx context.Context, tx neo4j.ManagedTransaction, c *cobuild.Change) error {
	diffs, err := json.Marshal(c.Diffs)
	if err != nil {
		return err
	}
	cov, err := json.Marshal(c.Coverage)
	if err != nil {
		return err
	}
	params := map[string]any{"subject": c.Actor.Subject, "role": c.Actor.Role, "op": c.Op, "args": c.Args,
		"batch": c.Batch, "diffs": string(diffs), "coverage": string(cov), "entity": c.Entity, "org": c.Org,
		"touched": orEmpty(c.Touched), "orgs": orEmpty(c.Orgs), "nodes": orEmpty(c.Nodes), "areas": orEmpty(c.Areas)}
	if c.Key != "" {
		params["key"] = c.Key
	} else {
		params["key"] = nil
	}
	rows, err := collect(ctx, s, tx, `MATCH (l:ChangeLog {id: 'log'}) SET l.seq = l.seq + 1
		CREATE (c:Change {seq: l.seq, at: datetime(), subject: $subject, role: $role, op: $op, args: $args, key: $key,
		  batch: $batch, diffs: $diffs, coverage: $coverage, entity: $entity, org: $org, touched: $touched,
		  orgs: $orgs, nodes: $nodes, areas: $areas})
		RETURN c.seq AS seq, c.at AS at`, params, func(r *neo4j.Record) (struct{}, error) {
		seq, _, err := neo4j.GetRecordValue[int64](r, "seq")
		if err != nil {
			return struct{}{}, err
		}
		at, _, err := neo4j.GetRecordValue[time.Time](r, "at")
		c.Seq, c.At = seq, at.UTC()
		return struct{}{}, err
	})
	if err != nil {
		return err
	}
	if len(rows) != 1 {
		return fmt.Errorf("the change log has no :ChangeLog node")
	}
	for i := range c.Coverage {
		c.Coverage[i].Seq, c.Coverage[i].At = c.Seq, c.At
	}
	return nil
}

// AppendBatch records a bulk load (a seed, an import) in the log as one batch change,
// after which followers rebuild their snapshots rather than apply it in place.
func (s *Store) AppendBatch(ctx context.Context, tx neo4j.ManagedTransaction, actor cobuild.Actor, op, args string) error {
	if _, err := s.lockLog(ctx, tx); err != nil {
		return err
	}
	return s.appendChange(ctx, tx, &cobuild.Change{Actor: actor, Op: op, Args: args, Batch: true})
}

func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// GraphVersion implements snapshot.Source: the sequence number of the newest change, as a
// decimal. Every write appends a change in its own transaction, so any change gives a new
// version.
func (s *Store) GraphVersion(ctx context.Context) (string, error) {
	seq, err := s.LastSeq(ctx)
	if err != nil {
		return "", fmt.Errorf("read graph version: %w", err)
	}
	return strconv.FormatInt(seq, 10), nil
}

// LastSeq implements cobuild.ChangeLog.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	rows, err := query(ctx, s, `OPTIONAL MATCH (l:ChangeLog {id: 'log'}) RETURN coalesce(l.seq, 0) AS seq`, nil,
		func(r *neo4j.Record) (int64, error) {
			v, _, err := neo4j.GetRecordValue[int64](r, "seq")
			return v, err
		})
	if err != nil {
		return 0, err
	}
	return rows[0], nil
}

// Changes implements cobuild.ChangeLog.
func (s *Store) Changes(ctx context.Context, f cobuild.ChangeFilter, after int64, first int) ([]*cobuild.Change, bool, error) {
	conds := []string{"c.seq > $after"}
	params := map[string]any{"after": after, "limit": first + 1}
	if f.Actor != "" {
		conds, params["actor"] = append(conds, "c.subject = $actor"), f.Actor
	}
	if f.Op != "" {
		conds, params["op"] = append(conds, "c.op = $op"), f.Op
	}
	if f.Entity != "" {
		conds, params["entity"] = append(conds, "$entity IN c.touched"), f.Entity
	}
	if f.Area != "" {
		conds, params["area"] = append(conds, "$area IN c.areas"), f.Area
	}
	if f.Areas != nil {
		conds, params["areas"] = append(conds, "any(a IN c.areas WHERE a IN $areas)"), f.Areas
	}
	if f.Since != nil {
		conds, params["since"] = append(conds, "c.at >= $since"), *f.Since
	}
	if f.Until != nil {
		conds, params["until"] = append(conds, "c.at < $until"), *f.Until
	}
	cypher := "MATCH (c:Change) WHERE " + joinAnd(conds) + " RETURN c ORDER BY c.seq LIMIT $limit"
	out, err := query(ctx, s, cypher, params, decodeChangeRecord)
	if err != nil {
		return nil, false, fmt.Errorf("read changes: %w", err)
	}
	more := len(out) > first
	if more {
		out = out[:first]
	}
	return out, more, nil
}

// History implements cobuild.ChangeLog.
func (s *Store) History(ctx context.Context, id string, first int) ([]*cobuild.Change, error) {
	if _, err := cobuild.LabelOf(id); err != nil {
		return nil, err
	}
	out, err := query(ctx, s, "MATCH (c:Change) WHERE $id IN c.touched RETURN c ORDER BY c.seq DESC LIMIT $limit",
		map[string]any{"id": id, "limit": first}, decodeChangeRecord)
	if err != nil {
		return nil, fmt.Errorf("read the history of %s: %w", id, err)
	}
	return out, nil
}

func joinAnd(conds []string) string {
	out := ""
	for i, c := range conds {
		if i > 0 {
			out += " AND "
		}
		out += c
	}
	return out
}

func decodeChangeRecord(r *neo4j.Record) (*cobuild.Change, error) {
	n, _, err := neo4j.GetRecordValue[dbtype.Node](r, "c")
	if err != nil {
		return nil, err
	}
	return decodeChange(n.Props)
}

// decodeChange reads a :Change node's properties.
func decodeChange(m map[string]any) (*cobuild.Change, error) {
	p := propsOf(m, "change")
	c := &cobuild.Change{Seq: int64(p.integer("seq")), Actor: cobuild.Actor{Subject: p.str("subject"), Role: p.str("role")},
		Op: p.str("op"), Args: p.str("args"), Key: p.str("key"), Batch: p.boolean("batch"), Entity: p.str("entity"),
		Org: p.str("org"), Touched: p.strings("touched"), Orgs: p.strings("orgs"), Nodes: p.strings("nodes"), Areas: p.strings("areas")}
	if t, ok := m["at"].(time.Time); ok {
		c.At = t.UTC()
	}
	if d := p.str("diffs"); d != "" {
		if err := json.Unmarshal([]byte(d), &c.Diffs); err != nil {
			return nil, fmt.Errorf("change %d: diffs: %w", c.Seq, err)
		}
	}
	if d := p.str("coverage"); d != "" {
		if err := json.Unmarshal([]byte(d), &c.Coverage); err != nil {
			return nil, fmt.Errorf("change %d: coverage: %w", c.Seq, err)
		}
	}
	for i := range c.Coverage {
		c.Coverage[i].Seq, c.Coverage[i].At = c.Seq, c.At
	}
	slices.Sort(c.Areas)
	return c, p.err
}

// Exec runs one write statement of an operator's own (a repair, a test's set-up) in one
// transaction that also appends a batch change to the log, so that every follower
// rebuilds its snapshots after it.
func (s *Store) Exec(ctx context.Context, cypher string, params map[string]any) error {
	_, err := writeTx(ctx, s, s.timeout, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		if err := s.exec(ctx, tx, cypher, params); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, s.AppendBatch(ctx, tx, cobuild.Actor{Subject: "cobuild", Role: "system"}, "exec", "{}")
	})
	return err
}

// Count runs a read statement that returns one integer, n.
func (s *Store) Count(ctx context.Context, cypher string, params map[string]any) (int, error) {
	rows, err := query(ctx, s, cypher, params, func(r *neo4j.Record) (int64, error) {
		v, _, err := neo4j.GetRecordValue[int64](r, "n")
		return v, err
	})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return int(rows[0]), nil
}
