package neo4jstore

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// SeedInfo describes a data set loaded by Seed, as recorded in the database.
type SeedInfo struct {
	// Complete is false while a seed runs, and stays false when one was interrupted.
	Complete  bool
	Version   int
	Seed      int64
	Scale     int
	Nodes     int
	Rels      int
	Completed time.Time
}

// SeedStatus returns the seed recorded in the database (nil when none was) and whether the
// database holds any node besides bookkeeping.
func (s *Store) SeedStatus(ctx context.Context) (*SeedInfo, bool, error) {
	type status struct {
		info    *SeedInfo
		hasData bool
	}
	rows, err := query(ctx, s, `
		OPTIONAL MATCH (s:Seed {id: 'demo'})
		RETURN s, EXISTS { MATCH (n) WHERE NOT n:Seed AND NOT n:Migration AND NOT n:GraphVersion AND NOT n:ChangeLog AND NOT n:Change AND NOT n:Import } AS hasData`, nil,
		func(r *neo4j.Record) (status, error) {
			hasData, _, err := neo4j.GetRecordValue[bool](r, "hasData")
			if err != nil {
				return status{}, err
			}
			n, isNil, err := neo4j.GetRecordValue[dbtype.Node](r, "s")
			if err != nil || isNil {
				return status{hasData: hasData}, err
			}
			p := propsOf(n.Props, "seed")
			// A seed recorded before seeds had a status is complete when it has a
			// completion time.
			_, completed := n.Props["completedAt"]
			st, hasStatus := n.Props["status"]
			info := &SeedInfo{Complete: st == "complete" || (!hasStatus && completed), Version: p.integer("version"),
				Seed: int64(p.integer("seed")), Scale: p.integer("scale"), Nodes: p.integer("nodes"), Rels: p.integer("rels")}
			if t, ok := n.Props["completedAt"].(time.Time); ok {
				info.Completed = t
			}
			return status{info, hasData}, p.err
		})
	if err != nil {
		return nil, false, fmt.Errorf("read seed status: %w", err)
	}
	return rows[0].info, rows[0].hasData, nil
}

// Wipe deletes every node and tie (schema, migrations and the change log stay, so that
// sequence numbers never go back). It marks the seed
// "wiping" first and removes that mark last, so that an interrupted wipe is still known as
// cobuild's own; and it deletes ties before nodes, in batches, so that a hub with many
// ties never has to be deleted with all of them in one transaction.
func (s *Store) Wipe(ctx context.Context) error {
	if _, err := writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, s.exec(ctx, tx, "MERGE (s:Seed {id: 'demo'}) SET s.status = 'wiping'", nil)
	}); err != nil {
		return fmt.Errorf("mark wipe: %w", err)
	}
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	for _, stmt := range []string{
		"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS",
		"MATCH (n) WHERE NOT n:Migration AND NOT n:Seed AND NOT n:ChangeLog AND NOT n:Change CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS",
		"MATCH (n:Seed) DELETE n",
	} {
		s.queries.Add(1)
		res, err := sess.Run(ctx, stmt, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("wipe database: %w", domainError(err))
		}
	}
	// In the change log as one batch, so that every server rebuilds its snapshots.
	if _, err := writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, s.AppendBatch(ctx, tx, cobuild.Actor{Subject: "cobuild", Role: "system"}, "wipe", "{}")
	}); err != nil {
		return fmt.Errorf("record wipe: %w", err)
	}
	return nil
}

var (
	labelPattern   = regexp.MustCompile(`^[A-Z][A-Za-z]*$`)
	relTypePattern = regexp.MustCompile(`^[A-Z][A-Z_]*$`)
)

// SeedBatch is the number of rows written per transaction by Seed.
const SeedBatch = 5000

// Seed writes a data set into an empty database with batched UNWIND statements,
// SeedBatch rows per transaction. A :Seed node marked "started" is written first and
// marked "complete" last, so an interrupted seed is recognised as cobuild's own and redone.
// Labels and tie types are checked against a strict pattern (tie types against the
// domain's) before they become part of a statement; days become Neo4j dates.
func (s *Store) Seed(ctx context.Context, ds *cobuild.Dataset, info SeedInfo, progress func(done, total int)) error {
	groups, keys, err := nodeGroups(ds)
	if err != nil {
		return err
	}
	params := map[string]any{"version": info.Version, "seed": info.Seed, "scale": info.Scale, "nodes": len(ds.Nodes), "rels": len(ds.Rels)}
	if _, err := writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, s.exec(ctx, tx, `MERGE (s:Seed {id: 'demo'})
			SET s.status = 'started', s.version = $version, s.seed = $seed, s.scale = $scale, s.nodes = $nodes, s.rels = $rels,
			    s.startedAt = datetime()`, params)
	}); err != nil {
		return fmt.Errorf("record seed start: %w", err)
	}
	if err := s.load(ctx, ds, groups, keys, progress); err != nil {
		return err
	}
	if _, err := writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		if err := s.exec(ctx, tx, `MATCH (s:Seed {id: 'demo'}) SET s.status = 'complete', s.completedAt = datetime()`, nil); err != nil {
			return struct{}{}, err
		}
		// In the change log as one batch, so that every server rebuilds its snapshots.
		return struct{}{}, s.AppendBatch(ctx, tx, cobuild.Actor{Subject: "cobuild", Role: "system"}, "seed",
			fmt.Sprintf(`{"scale": %d, "seed": %d, "nodes": %d}`, info.Scale, info.Seed, len(ds.Nodes)))
	}); err != nil {
		return fmt.Errorf("record seed: %w", err)
	}
	return nil
}

// Load writes a data set into the database next to what it holds, with batched UNWIND
// statements, SeedBatch rows per transaction, and records that the graph changed. Labels
// and tie types are checked before they become part of a statement; days become dates.
func (s *Store) Load(ctx context.Context, ds *cobuild.Dataset, progress func(done, total int)) error {
	groups, keys, err := nodeGroups(ds)
	if err != nil {
		return err
	}
	if err := s.load(ctx, ds, groups, keys, progress); err != nil {
		return err
	}
	_, err = writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, s.AppendBatch(ctx, tx, cobuild.Actor{Subject: "cobuild", Role: "system"}, "load",
			fmt.Sprintf(`{"nodes": %d}`, len(ds.Nodes)))
	})
	return err
}

// nodeGroups groups a data set's nodes by their labels, checked.
func nodeGroups(ds *cobuild.Dataset) (map[string][]map[string]any, []string, error) {
	groups := map[string][]map[string]any{}
	var keys []string
	for _, n := range ds.Nodes {
		for _, l := range n.Labels {
			if !labelPattern.MatchString(l) {
				return nil, nil, fmt.Errorf("load: bad label %q", l)
			}
		}
		k := strings.Join(n.Labels, ":")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], n.Props)
	}
	sort.Strings(keys)
	return groups, keys, nil
}

// load writes the nodes, then the ties, of a data set.
func (s *Store) load(ctx context.Context, ds *cobuild.Dataset, groups map[string][]map[string]any, keys []string, progress func(done, total int)) error {
	total := len(ds.Nodes) + len(ds.Rels)
	done := 0
	step := func(n int) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	for _, k := range keys {
		stmt := fmt.Sprintf("UNWIND $rows AS row CREATE (n:%s) SET n = row", k)
		if err := s.writeBatches(ctx, stmt, groups[k], step); err != nil {
			return fmt.Errorf("load %s nodes: %w", k, err)
		}
	}

	type relKey struct {
		typ      cobuild.TieType
		from, to cobuild.NodeLabel
	}
	relGroups := map[relKey][]map[string]any{}
	var relKeys []relKey
	for _, r := range ds.Rels {
		if !r.Type.Known() || !relTypePattern.MatchString(string(r.Type)) {
			return fmt.Errorf("load: unknown tie type %q", r.Type)
		}
		fl, err := cobuild.LabelOf(r.From)
		if err != nil {
			return fmt.Errorf("load %s tie: %w", r.Type, err)
		}
		tl, err := cobuild.LabelOf(r.To)
		if err != nil {
			return fmt.Errorf("load %s tie: %w", r.Type, err)
		}
		k := relKey{r.Type, fl, tl}
		if _, ok := relGroups[k]; !ok {
			relKeys = append(relKeys, k)
		}
		props := r.Props
		if props == nil {
			props = map[string]any{}
		}
		relGroups[k] = append(relGroups[k], map[string]any{"from": r.From, "to": r.To, "props": props})
	}
	sort.Slice(relKeys, func(i, j int) bool {
		a, b := relKeys[i], relKeys[j]
		return string(a.typ)+string(a.from)+string(a.to) < string(b.typ)+string(b.from)+string(b.to)
	})
	for _, k := range relKeys {
		stmt := fmt.Sprintf(`UNWIND $rows AS row
			MATCH (a:%s {id: row.from}) MATCH (b:%s {id: row.to})
			CREATE (a)-[r:%s]->(b) SET r = row.props`, k.from, k.to, k.typ)
		if err := s.writeBatches(ctx, stmt, relGroups[k], step); err != nil {
			return fmt.Errorf("load %s ties: %w", k.typ, err)
		}
	}
	return nil
}

func (s *Store) writeBatches(ctx context.Context, stmt string, rows []map[string]any, done func(int)) error {
	for i := 0; i < len(rows); i += SeedBatch {
		batch := rows[i:min(i+SeedBatch, len(rows))]
		if _, err := writeTx(ctx, s, 5*time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			return struct{}{}, s.exec(ctx, tx, stmt, map[string]any{"rows": storable(batch)})
		}); err != nil {
			return err
		}
		done(len(batch))
	}
	return nil
}

// storable turns the days of a batch's properties (time.Time) into Neo4j dates, in copies:
// the data set itself is left as it is.
func storable(rows []map[string]any) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, row := range rows {
		out[i] = storableMap(row)
	}
	return out
}

func storableMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case time.Time:
			c[k] = dateParam(x)
		case map[string]any:
			c[k] = storableMap(x)
		default:
			c[k] = v
		}
	}
	return c
}
