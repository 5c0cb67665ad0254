package snapshot_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/snapshot"
)

// world is a change source held in memory: two organisations and an alliance, and a log
// the test appends to.
type world struct {
	mu      sync.Mutex
	rows    []cobuild.CensusRow
	facts   map[string]*cobuild.DayFacts
	ties    []analytics.TieInfo
	log     []*cobuild.Change
	evals   []*cobuild.Evaluation
	failing bool
}

func newWorld() *world {
	return &world{
		rows: []cobuild.CensusRow{
			{ID: "og-1", Name: "甲", Kind: cobuild.OrgEnterprise, Sector: cobuild.SectorEnterprise},
			{ID: "og-2", Name: "乙", Kind: cobuild.OrgEnterprise, Sector: cobuild.SectorEnterprise},
		},
		facts: map[string]*cobuild.DayFacts{},
		ties:  []analytics.TieInfo{{Type: cobuild.MemberOf, From: "og-1", To: "al-1"}},
		log:   []*cobuild.Change{{Seq: 1, Batch: true}},
	}
}

func (w *world) GraphVersion(context.Context) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strconv.FormatInt(w.log[len(w.log)-1].Seq, 10), nil
}

func (w *world) nodes(ids []string) []analytics.NodeInfo {
	var out []analytics.NodeInfo
	for _, r := range w.rows {
		if ids == nil || slices.Contains(ids, r.ID) {
			out = append(out, analytics.NodeInfo{ID: r.ID, Label: cobuild.LabelOrganization, Name: r.Name})
		}
	}
	return out
}

func (w *world) NetworkTies(context.Context, time.Time, []cobuild.TieType) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append(w.nodes(nil), analytics.NodeInfo{ID: "al-1", Label: cobuild.LabelAlliance}), slices.Clone(w.ties), nil
}

func (w *world) CensusPlaces(context.Context) ([]cobuild.CensusRow, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.rows), nil
}

func (w *world) CensusFacts(context.Context, time.Time) (map[string]*cobuild.DayFacts, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]*cobuild.DayFacts{}
	for k, v := range w.facts {
		out[k] = v
	}
	return out, nil
}

func (w *world) RoundEvaluations(context.Context, []string) ([]*cobuild.Evaluation, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.evals), nil
}

func (w *world) Changes(_ context.Context, _ cobuild.ChangeFilter, after int64, first int) ([]*cobuild.Change, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []*cobuild.Change
	for _, c := range w.log {
		if c.Seq > after {
			out = append(out, c)
		}
	}
	more := len(out) > first
	if more {
		out = out[:first]
	}
	return out, more, nil
}

var errAway = errors.New("neo4j away")

func (w *world) PlacesOf(_ context.Context, ids []string) ([]cobuild.CensusRow, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failing {
		return nil, errAway
	}
	var out []cobuild.CensusRow
	for _, r := range w.rows {
		if slices.Contains(ids, r.ID) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (w *world) FactsOf(_ context.Context, _ time.Time, ids []string) (map[string]*cobuild.DayFacts, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]*cobuild.DayFacts{}
	for _, id := range ids {
		if f, ok := w.facts[id]; ok {
			out[id] = f
		}
	}
	return out, nil
}

func (w *world) TiesAt(_ context.Context, _ time.Time, _ []cobuild.TieType, ids []string) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	nodes := w.nodes(ids)
	var ties []analytics.TieInfo
	for _, t := range w.ties {
		if slices.Contains(ids, t.From) || slices.Contains(ids, t.To) {
			ties = append(ties, t)
			nodes = append(nodes, analytics.NodeInfo{ID: t.To, Label: cobuild.LabelAlliance})
		}
	}
	return nodes, ties, nil
}

// change appends a change to the log after changing the world.
func (w *world) change(c *cobuild.Change, apply func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if apply != nil {
		apply()
	}
	c.Seq = w.log[len(w.log)-1].Seq + 1
	w.log = append(w.log, c)
}

// TestFollowingTheLogPatchesInPlace: a change is applied to the census and network of
// the version before without a build; a batch makes them be built again; a patch whose
// read fails leaves the old version answering, tried again, and after three failures
// rebuilt.
func TestFollowingTheLogPatchesInPlace(t *testing.T) {
	ctx := context.Background()
	w := newWorld()
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	key := snapshot.ProjectionKey(day, nil)
	svc := snapshot.New(w, cobuild.DefaultRules(), snapshot.Options{})
	if _, ok := svc.Applied(); ok {
		t.Error("a version applied before any was read")
	}
	v, err := svc.Refresh(ctx)
	if err != nil || v != "1" {
		t.Fatalf("version %q, %v", v, err)
	}
	if _, err := svc.Census(ctx, day, v); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Projection(ctx, key, v); err != nil {
		t.Fatal(err)
	}
	builds := svc.Stats().Builds
	changed := svc.Changed()

	// 乙 gets an instructor and joins the alliance.
	w.change(&cobuild.Change{Orgs: []string{"og-2"}, Nodes: []string{"og-2", "al-1"}}, func() {
		w.facts["og-2"] = &cobuild.DayFacts{Facts: cobuild.CoverageFacts{Instructors: 1, JointTies: 1}, Coverers: []string{"pe-1"}}
		w.ties = append(w.ties, analytics.TieInfo{Type: cobuild.MemberOf, From: "og-2", To: "al-1"})
	})
	if v, err = svc.Refresh(ctx); err != nil || v != "2" {
		t.Fatalf("after a change: version %q, %v", v, err)
	}
	select {
	case <-changed:
	default:
		t.Error("Changed was not closed by the new version")
	}
	if seq, ok := svc.Applied(); !ok || seq != 2 {
		t.Errorf("applied %d %v, want 2", seq, ok)
	}
	c, err := svc.Census(ctx, day, "2")
	if err != nil {
		t.Fatal(err)
	}
	n, err := svc.Projection(ctx, key, "2")
	if err != nil {
		t.Fatal(err)
	}
	i, _ := c.Row("og-2")
	if st := svc.Stats(); st.Builds != builds || st.Patches != 1 {
		t.Errorf("%d builds (were %d), %d patches; want the change applied in place", st.Builds, builds, st.Patches)
	}
	if got := c.Coverage.At(i).Status; got != cobuild.CoverageWork || !slices.Equal(c.CoverersOf(i), []string{"pe-1"}) {
		t.Errorf("乙 in the patched census: %s %v", got, c.CoverersOf(i))
	}
	if n.Graph.LiveTies() != 2 || n.Islands().Count != 1 || c.Meta.Version != "2" || n.Meta.Version != "2" {
		t.Errorf("patched network: %d ties, %d islands, versions %s %s", n.Graph.LiveTies(), n.Islands().Count, c.Meta.Version, n.Meta.Version)
	}

	// Nothing new: the version stays.
	if v, err = svc.Refresh(ctx); err != nil || v != "2" {
		t.Errorf("with no change: version %q, %v", v, err)
	}

	// A batch: built again when next asked, not patched.
	w.change(&cobuild.Change{Batch: true}, nil)
	if v, err = svc.Refresh(ctx); err != nil || v != "3" {
		t.Fatalf("after a batch: version %q, %v", v, err)
	}
	if _, err := svc.Census(ctx, day, "3"); err != nil {
		t.Fatal(err)
	}
	if st := svc.Stats(); st.Patches != 1 || st.Builds != builds+1 {
		t.Errorf("after a batch: %d patches, %d builds (were %d); want a build", st.Patches, st.Builds, builds)
	}

	// A read that fails: the old version answers, the patch is tried again twice, then
	// the snapshots are rebuilt.
	if _, err := svc.Projection(ctx, key, "3"); err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	w.failing = true
	w.mu.Unlock()
	w.change(&cobuild.Change{Orgs: []string{"og-1"}, Nodes: []string{"og-1"}}, nil)
	for try := 1; try <= 2; try++ {
		if v, err = svc.Refresh(ctx); err == nil || v != "3" {
			t.Errorf("failed patch %d: version %q, %v; want 3 and the error", try, v, err)
		}
	}
	if v, err = svc.Refresh(ctx); err != nil || v != "4" {
		t.Errorf("third failed patch: version %q, %v; want 4", v, err)
	}
	w.mu.Lock()
	w.failing = false
	w.mu.Unlock()

	// More changes than a follow applies: built again.
	for range snapshot.FollowBatch + 1 {
		w.change(&cobuild.Change{Orgs: []string{"og-1"}, Nodes: []string{"og-1"}}, nil)
	}
	patches := svc.Stats().Patches
	want := strconv.Itoa(4 + snapshot.FollowBatch + 1)
	if v, err = svc.Refresh(ctx); err != nil || v != want || svc.Stats().Patches != patches {
		t.Errorf("far behind: version %q (%v), want %s without a patch", v, err, want)
	}

	// Await follows until a sequence number is applied.
	w.change(&cobuild.Change{Orgs: []string{"og-1"}, Nodes: []string{"og-1"}}, nil)
	last := int64(4 + snapshot.FollowBatch + 2)
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	svc.Await(actx, last)
	if seq, ok := svc.Applied(); !ok || seq != last {
		t.Errorf("after Await(%d): applied %d", last, seq)
	}
}

// TestRoundsAreReadAgainAfterAChangeToEvaluations: a change that touched an evaluation (a
// round finalised or altered) drops the cached round, which is read again; one that
// touched only a round's drafts keeps it.
func TestRoundsAreReadAgainAfterAChangeToEvaluations(t *testing.T) {
	ctx := context.Background()
	w := newWorld()
	svc := snapshot.New(w, cobuild.DefaultRules(), snapshot.Options{})
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := svc.Round(ctx, "2026-11", "1"); err != nil || len(r.Evaluations) != 0 {
		t.Fatalf("round before: %+v %v", r, err)
	}
	builds := svc.Stats().Builds

	// Scores entered: drafts, no evaluation.
	w.change(&cobuild.Change{Op: "enterScores", Touched: []string{"po-1", "2026-11"}}, nil)
	if v, err := svc.Refresh(ctx); err != nil || v != "2" {
		t.Fatalf("after the scores: %q %v", v, err)
	}
	if r, err := svc.Round(ctx, "2026-11", "2"); err != nil || len(r.Evaluations) != 0 || svc.Stats().Builds != builds {
		t.Errorf("after the scores: %d evaluations, %d builds (were %d); want the round kept", len(r.Evaluations), svc.Stats().Builds, builds)
	}

	// The round finalised: its evaluation is read.
	w.change(&cobuild.Change{Op: "finaliseRound", Touched: []string{"2026-11", "es-000001"}}, func() {
		w.evals = []*cobuild.Evaluation{{ID: "es-000001", PartyOrgID: "po-1", Round: "2026-11", Score: 91}}
	})
	if v, err := svc.Refresh(ctx); err != nil || v != "3" {
		t.Fatalf("after the finalise: %q %v", v, err)
	}
	if r, err := svc.Round(ctx, "2026-11", "3"); err != nil || len(r.Evaluations) != 1 || svc.Stats().Builds != builds+1 {
		t.Errorf("after the finalise: %+v %v, %d builds (were %d); want the round read again", r, err, svc.Stats().Builds, builds)
	}
}

// TestAChangeAfterABatchIsInThePinnedSnapshots: after a batch the pinned snapshots are
// built for its version at once, and the change that follows is patched into them; read
// right after it, the network and the census hold it (without the fix they answered from
// the snapshots of before the batch until built again).
func TestAChangeAfterABatchIsInThePinnedSnapshots(t *testing.T) {
	ctx := context.Background()
	w := newWorld()
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	key := snapshot.ProjectionKey(day, nil)
	pins := []snapshot.Key{key, snapshot.CensusKey(day), snapshot.PlacesKey()}
	svc := snapshot.New(w, cobuild.DefaultRules(), snapshot.Options{Pinned: func() []snapshot.Key { return pins }})
	v, err := svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Census(ctx, day, v); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Projection(ctx, key, v); err != nil {
		t.Fatal(err)
	}
	// A batch (an import), then at once a change: 乙 joins the alliance, and gets an instructor.
	w.change(&cobuild.Change{Batch: true}, nil)
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	w.change(&cobuild.Change{Orgs: []string{"og-2"}, Nodes: []string{"og-2", "al-1"}}, func() {
		w.facts["og-2"] = &cobuild.DayFacts{Facts: cobuild.CoverageFacts{Instructors: 1, JointTies: 1}, Coverers: []string{"pe-1"}}
		w.ties = append(w.ties, analytics.TieInfo{Type: cobuild.MemberOf, From: "og-2", To: "al-1"})
	})
	v, err = svc.Refresh(ctx)
	if err != nil || v != "3" {
		t.Fatalf("after the change: version %q, %v", v, err)
	}
	n, err := svc.Projection(ctx, key, v)
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Census(ctx, day, v)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := c.Row("og-2")
	if n.Meta.Version != "3" || n.Graph.LiveTies() != 2 || c.Meta.Version != "3" || c.Coverage.At(i).Status != cobuild.CoverageWork {
		t.Errorf("read right after the change: network of version %s with %d ties, census of %s with 乙 %s; want version 3, 2 ties, WORK",
			n.Meta.Version, n.Graph.LiveTies(), c.Meta.Version, c.Coverage.At(i).Status)
	}
	if st := svc.Stats(); st.Patches != 1 {
		t.Errorf("%d patches, want the change patched into the rebuilt snapshots", st.Patches)
	}
}
