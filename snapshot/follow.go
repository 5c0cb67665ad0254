package snapshot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"cobuild"
	"cobuild/analytics"
)

// ChangeSource is a Source that keeps a change log (neo4jstore.Store is one). A Service
// over one follows the log: each change is applied to the cached snapshots of the current
// version in place (the rows and ties of what it touched are read again, the rest kept),
// and the version becomes the change's sequence number, without a rebuild. A bulk load
// (a batch), or more changes at once than FollowBatch, makes the snapshots be built
// afresh instead, when next asked for.
type ChangeSource interface {
	Source
	Changes(ctx context.Context, f cobuild.ChangeFilter, after int64, first int) ([]*cobuild.Change, bool, error)
	// PlacesOf returns the places of some organisations.
	PlacesOf(ctx context.Context, ids []string) ([]cobuild.CensusRow, error)
	// FactsOf returns the coverage facts on a day of some organisations, those that have
	// any.
	FactsOf(ctx context.Context, day time.Time, ids []string) (map[string]*cobuild.DayFacts, error)
	// TiesAt returns the organisations among ids and the ties of the types in force on
	// the day with an end among ids, with their other ends.
	TiesAt(ctx context.Context, day time.Time, types []cobuild.TieType, ids []string) ([]analytics.NodeInfo, []analytics.TieInfo, error)
}

// FollowBatch is the most changes applied in place at once; more pending than that (a
// follower that fell far behind) are not applied one by one but rebuilt from.
var FollowBatch = 500

// patchTries is how many times a patch that failed is tried before the snapshots are
// rebuilt instead.
const patchTries = 3

// Refresh brings the version of the graph that later requests answer from up to date:
// over a ChangeSource, by applying the changes since the current version to the cached
// snapshots in place; otherwise, or at the first call, by reading the version.
func (s *Service) Refresh(ctx context.Context) (string, error) {
	s.follow.Lock()
	defer s.follow.Unlock()
	cur := s.version.Load()
	src, ok := s.src.(ChangeSource)
	var last int64
	var err error
	if ok && cur != nil {
		last, err = strconv.ParseInt(*cur, 10, 64)
	}
	if !ok || cur == nil || err != nil {
		return s.jump(ctx)
	}
	changes, more, err := src.Changes(ctx, cobuild.ChangeFilter{}, last, FollowBatch)
	if err != nil {
		return *cur, err
	}
	if len(changes) == 0 {
		return *cur, nil
	}
	if more || slices.ContainsFunc(changes, func(c *cobuild.Change) bool { return c.Batch }) {
		return s.jump(ctx)
	}
	next := strconv.FormatInt(changes[len(changes)-1].Seq, 10)
	if err := s.patch(ctx, src, *cur, next, changes); err != nil {
		// The old version, whole, answers until the patch is tried again at the next
		// call; after patchTries failures the snapshots of the new version are built
		// afresh when asked for, the pinned ones of the old version answering meanwhile.
		if s.patchFailed++; s.patchFailed < patchTries {
			slog.Warn("snapshots not patched; tried again", "from", *cur, "to", next, "err", err)
			return *cur, err
		}
		slog.Warn("snapshots not patched; they are rebuilt", "from", *cur, "to", next, "err", err)
	}
	s.patchFailed = 0
	s.setVersion(next)
	return next, nil
}

// jump makes the version the graph's, read now: snapshots are built for it when asked.
func (s *Service) jump(ctx context.Context) (string, error) {
	v, err := s.src.GraphVersion(ctx)
	if err != nil {
		return "", err
	}
	if cur := s.version.Load(); cur == nil || *cur != v {
		s.setVersion(v)
		if cur != nil {
			s.buildPinned(v)
		}
	}
	return v, nil
}

// buildPinned starts the builds of the pinned snapshots of a version the follower jumped
// to (after a batch): a change that follows is then patched into them (patch waits for
// their builds) rather than missing from every snapshot until they are built once more.
// It waits for none of them: the older ones answer meanwhile.
func (s *Service) buildPinned(v string) {
	if s.opts.Pinned == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the builds run detached from it; get returns at once
	for _, k := range s.opts.Pinned() {
		switch k.Kind {
		case KindProjection:
			_, _ = s.Projection(ctx, k, v)
		case KindCensus:
			_, _ = s.Census(ctx, k.Day, v)
		case KindPlaces:
			_, _ = s.Places(ctx, v)
		}
	}
}

func (s *Service) setVersion(v string) {
	s.version.Store(&v)
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// Changed returns a channel closed when the version next changes.
func (s *Service) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// Await returns once the version is seq or later (a change this server just wrote is
// applied), or ctx is done. The follow it may run is not stopped by ctx's cancellation
// (a half-done patch would be a rebuild), only bounded in time.
func (s *Service) Await(ctx context.Context, seq int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for {
		if cur := s.version.Load(); cur != nil {
			if v, err := strconv.ParseInt(*cur, 10, 64); err == nil && v >= seq {
				return
			}
		}
		if _, err := s.Refresh(ctx); ctx.Err() != nil {
			return
		} else if err != nil {
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// patch derives the snapshots of version to from the cached ones of version from, which
// the changes lead from.
func (s *Service) patch(ctx context.Context, src ChangeSource, from, to string, changes []*cobuild.Change) error {
	start := time.Now()
	var orgs, nodes []string
	for _, c := range changes {
		orgs = append(orgs, c.Orgs...)
		nodes = append(nodes, c.Nodes...)
	}
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	touchedEvaluations := slices.ContainsFunc(changes, func(c *cobuild.Change) bool {
		return slices.ContainsFunc(c.Touched, func(id string) bool { l, err := cobuild.LabelOf(id); return err == nil && l == cobuild.LabelEvaluation })
	})

	// A pinned snapshot of the version being built (after a batch, which makes them be
	// built again) is waited for and patched: otherwise the change would be in none of the
	// snapshots until they are built once more, and until then the older ones would answer.
	s.mu.Lock()
	var building []*flight
	for fk, f := range s.flights {
		if fk.version == from && s.pinned(fk.key) {
			building = append(building, f)
		}
	}
	s.mu.Unlock()
	for _, f := range building {
		select {
		case <-f.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	var olds []entry
	for _, e := range s.cache {
		if e.version == from {
			olds = append(olds, e)
		}
	}
	s.mu.Unlock()

	var rows []cobuild.CensusRow
	if len(orgs) > 0 {
		var err error
		if rows, err = src.PlacesOf(ctx, orgs); err != nil {
			return err
		}
	}
	var places *Places
	for _, e := range olds {
		if e.key.Kind == KindPlaces {
			places = &Places{Places: analytics.PatchPlaces(e.value.(*Places).Places, rows), Meta: meta(e.key, to, start)}
		}
	}
	news := []entry{}
	if places != nil {
		news = append(news, entry{places.Key, to, places})
	}
	for _, e := range olds {
		var v any
		switch old := e.value.(type) {
		case *Census:
			base := old.Census.Places
			if places != nil {
				base = places.Places
			} else {
				base = analytics.PatchPlaces(base, rows)
			}
			facts, err := src.FactsOf(ctx, old.Day(), orgs)
			if err != nil {
				return err
			}
			v = &Census{Census: analytics.PatchCensus(s.rules, old.Census, base, orgs, facts), Meta: meta(e.key, to, start)}
		case *Projection:
			infos, ties, err := src.TiesAt(ctx, old.Day(), e.key.TieTypes(), nodes)
			if err != nil {
				return err
			}
			v = &Projection{Projection: analytics.PatchProjection(old.Projection, nodes, infos, ties), Meta: meta(e.key, to, start)}
		case *Round:
			// A change that touched an evaluation (a round finalised or altered, a
			// rectification) makes the rounds be read again when next asked; the other
			// changes leave them as they were.
			if touchedEvaluations {
				continue
			}
			v = &Round{Evaluations: old.Evaluations, Meta: meta(e.key, to, start)}
		case *Places:
			continue
		default:
			return fmt.Errorf("no patch for a snapshot of %s", e.key)
		}
		news = append(news, entry{e.key, to, v})
	}
	s.mu.Lock()
	for _, e := range news {
		s.put(e.key, e.version, e.value)
	}
	s.mu.Unlock()
	s.patches.Add(1)
	s.patchTime.Add(int64(time.Since(start)))
	return nil
}

// Applied returns the sequence number of the last change the snapshots have applied, and
// false before the version is known or when it is not a sequence number.
func (s *Service) Applied() (int64, bool) {
	cur := s.version.Load()
	if cur == nil {
		return 0, false
	}
	v, err := strconv.ParseInt(*cur, 10, 64)
	return v, err == nil
}

// Warm reads, as a patch would, the rows and ties of one node of each label of the cached
// snapshots of the current version, so that Neo4j has planned those statements before the
// first change comes: planning them takes seconds on a fresh Neo4j.
func (s *Service) Warm(ctx context.Context) error {
	src, ok := s.src.(ChangeSource)
	cur := s.version.Load()
	if !ok || cur == nil {
		return nil
	}
	s.mu.Lock()
	var olds []entry
	for _, e := range s.cache {
		if e.version == *cur {
			olds = append(olds, e)
		}
	}
	s.mu.Unlock()
	for _, e := range olds {
		switch v := e.value.(type) {
		case *Census:
			if len(v.Rows) == 0 {
				continue
			}
			ids := []string{v.Rows[0].ID}
			if _, err := src.PlacesOf(ctx, ids); err != nil {
				return err
			}
			if _, err := src.FactsOf(ctx, v.Day(), ids); err != nil {
				return err
			}
		case *Projection:
			seen := map[cobuild.NodeLabel]bool{}
			var ids []string
			for _, n := range v.Nodes {
				if !seen[n.Label] && n.Label != "" {
					seen[n.Label] = true
					ids = append(ids, n.ID)
				}
			}
			// A statement per label (and direction): the same as a change touching it sends.
			for _, id := range ids {
				if _, _, err := src.TiesAt(ctx, v.Day(), e.key.TieTypes(), []string{id}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
