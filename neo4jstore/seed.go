package neo4jstore

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
	"cobuild/demo"
)

// SeedInfo describes the demo seed recorded in a database.
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

// SeedStatus returns the demo seed recorded in the database (nil when cobuild never seeded
// it) and whether the database holds any node besides bookkeeping.
func (s *Store) SeedStatus(ctx context.Context) (*SeedInfo, bool, error) {
	recs, err := s.readRecords(ctx, `
		OPTIONAL MATCH (s:Seed {id: 'demo'})
		RETURN s, EXISTS { MATCH (n) WHERE NOT n:Seed AND NOT n:Migration } AS hasData`, nil)
	if err != nil {
		return nil, false, fmt.Errorf("read seed status: %w", err)
	}
	r := recs[0]
	hasData, _ := r.Get("hasData")
	sv, _ := r.Get("s")
	n, ok := sv.(neo4j.Node)
	if !ok {
		return nil, hasData.(bool), nil
	}
	// A seed recorded before seeds had a status is complete when it has a completion time.
	_, completed := n.Props["completedAt"]
	status, hasStatus := n.Props["status"]
	info := &SeedInfo{Complete: status == "complete" || (!hasStatus && completed), Version: integer(n.Props, "version"), Seed: int64(integer(n.Props, "seed")), Scale: integer(n.Props, "scale"),
		Nodes: integer(n.Props, "nodes"), Rels: integer(n.Props, "rels")}
	if t, ok := n.Props["completedAt"].(time.Time); ok {
		info.Completed = t
	}
	return info, hasData.(bool), nil
}

// Wipe deletes every node and tie (schema and migrations stay). It marks the seed
// "wiping" first and removes that mark last, so that an interrupted wipe is still known as
// cobuild's own; and it deletes ties before nodes, in batches, so that a hub with many
// ties never has to be deleted with all of them in one transaction.
func (s *Store) Wipe(ctx context.Context) error {
	if err := s.ExecWrite(ctx, "MERGE (s:Seed {id: 'demo'}) SET s.status = 'wiping'", nil); err != nil {
		return fmt.Errorf("mark wipe: %w", err)
	}
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	for _, stmt := range []string{
		"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS",
		"MATCH (n) WHERE NOT n:Migration AND NOT n:Seed CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS",
		"MATCH (n:Seed) DELETE n",
	} {
		s.queries.Add(1)
		res, err := sess.Run(ctx, stmt, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("wipe database: %w", AsDomainError(err))
		}
	}
	return nil
}

var (
	labelPattern   = regexp.MustCompile(`^[A-Z][A-Za-z]*$`)
	relTypePattern = regexp.MustCompile(`^[A-Z][A-Z_]*$`)
)

// SeedBatch is the number of rows written per transaction by Seed.
const SeedBatch = 5000

// Seed writes a generated data set into an empty database with batched UNWIND statements,
// SeedBatch rows per transaction. A :Seed node marked "started" is written first and
// marked "complete" last, so an interrupted seed is recognised as cobuild's own and redone.
// Labels and tie types come from the generator and are checked against a strict pattern
// before they become part of a statement.
func (s *Store) Seed(ctx context.Context, ds *demo.Dataset, opts demo.Options, progress func(done, total int)) error {
	groups := map[string][]map[string]any{}
	var keys []string
	for _, n := range ds.Nodes {
		for _, l := range n.Labels {
			if !labelPattern.MatchString(l) {
				return fmt.Errorf("seed: bad label %q", l)
			}
		}
		k := strings.Join(n.Labels, ":")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], n.Props)
	}
	sort.Strings(keys)
	params := map[string]any{"version": demo.Version, "seed": opts.Seed, "scale": opts.Scale, "nodes": len(ds.Nodes), "rels": len(ds.Rels)}
	if _, err := s.write(ctx, time.Minute, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.collect(ctx, tx, `MERGE (s:Seed {id: 'demo'})
			SET s.status = 'started', s.version = $version, s.seed = $seed, s.scale = $scale, s.nodes = $nodes, s.rels = $rels,
			    s.startedAt = datetime()`, params)
	}); err != nil {
		return fmt.Errorf("record seed start: %w", err)
	}
	total := len(ds.Nodes) + len(ds.Rels)
	done := 0
	for _, k := range keys {
		rows := groups[k]
		stmt := fmt.Sprintf("UNWIND $rows AS row CREATE (n:%s) SET n = row", k)
		if err := s.writeBatches(ctx, stmt, rows, func(n int) {
			done += n
			if progress != nil {
				progress(done, total)
			}
		}); err != nil {
			return fmt.Errorf("seed %s nodes: %w", k, err)
		}
	}

	type relKey struct{ typ, from, to string }
	relGroups := map[relKey][]map[string]any{}
	var relKeys []relKey
	for _, r := range ds.Rels {
		if !relTypePattern.MatchString(r.Type) {
			return fmt.Errorf("seed: bad tie type %q", r.Type)
		}
		fl, err := cobuild.LabelOf(r.From)
		if err != nil {
			return fmt.Errorf("seed %s tie: %w", r.Type, err)
		}
		tl, err := cobuild.LabelOf(r.To)
		if err != nil {
			return fmt.Errorf("seed %s tie: %w", r.Type, err)
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
		return a.typ+a.from+a.to < b.typ+b.from+b.to
	})
	for _, k := range relKeys {
		stmt := fmt.Sprintf(`UNWIND $rows AS row
			MATCH (a:%s {id: row.from}) MATCH (b:%s {id: row.to})
			CREATE (a)-[r:%s]->(b) SET r = row.props`, k.from, k.to, k.typ)
		if err := s.writeBatches(ctx, stmt, relGroups[k], func(n int) {
			done += n
			if progress != nil {
				progress(done, total)
			}
		}); err != nil {
			return fmt.Errorf("seed %s ties: %w", k.typ, err)
		}
	}
	_, err := s.write(ctx, time.Minute, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.collect(ctx, tx, `MATCH (s:Seed {id: 'demo'}) SET s.status = 'complete', s.completedAt = datetime()`, nil)
	})
	if err != nil {
		return fmt.Errorf("record seed: %w", err)
	}
	return nil
}

func (s *Store) writeBatches(ctx context.Context, stmt string, rows []map[string]any, done func(int)) error {
	for i := 0; i < len(rows); i += SeedBatch {
		batch := rows[i:min(i+SeedBatch, len(rows))]
		if _, err := s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, stmt, map[string]any{"rows": batch})
			if err != nil {
				return nil, err
			}
			s.queries.Add(1)
			return res.Consume(ctx)
		}); err != nil {
			return err
		}
		done(len(batch))
	}
	return nil
}

// SeedIfEmpty seeds the demo data set unless the database already holds it: an empty
// database is seeded; an interrupted demo seed, or one of another generator version, seed
// or scale, is wiped and redone; a database holding data that cobuild did not seed is left
// alone with an ECONFLICT error unless force is set. It returns whether it seeded.
func (s *Store) SeedIfEmpty(ctx context.Context, opts demo.Options, force bool, progress func(done, total int)) (bool, error) {
	info, hasData, err := s.SeedStatus(ctx)
	if err != nil {
		return false, err
	}
	opts = opts.WithDefaults()
	switch {
	case force:
	case info == nil && hasData:
		return false, cobuild.Errorf(cobuild.ECONFLICT, "the database holds data that cobuild did not seed; use an empty database, or seed -force to wipe it")
	case info != nil && info.Complete && info.Version == demo.Version && info.Seed == opts.Seed && info.Scale == opts.Scale:
		return false, nil
	}
	if hasData || info != nil {
		if err := s.Wipe(ctx); err != nil {
			return false, err
		}
	}
	ds, err := demo.Generate(opts)
	if err != nil {
		return false, fmt.Errorf("generate demo data: %w", err)
	}
	if err := s.Seed(ctx, ds, opts, progress); err != nil {
		return false, err
	}
	return true, nil
}
