package snapshot_test

import (
	"context"
	"strings"
	"testing"

	"cobuild"
	"cobuild/snapshot"
)

func (c *counted) ReadScope(ctx context.Context, areas []string) (*cobuild.Scope, error) {
	if err := c.read("scope"); err != nil {
		return nil, err
	}
	return c.Store.ReadScope(ctx, areas)
}

const town = "ar-000019" // 新田镇

// A view within an officer's areas narrows every snapshot to their scope, read once per
// version; the whole graph's snapshots stay as they are, and the narrowed ones, kept apart,
// push none of them out of the cache.
func TestAViewWithinAScopeNarrowsEverySnapshot(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{Keep: 4})
	ctx := context.Background()
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	v := svc.View().Within([]string{town})
	if _, ok := v.CachedCensus(ctx, sourceDay); ok {
		t.Fatal("a census within the town, though none of the whole graph was built")
	}
	if _, ok := v.CachedPlaces(ctx); ok {
		t.Fatal("places within the town, though none of the whole graph were built")
	}
	scope, err := v.Scope(ctx)
	if err != nil {
		t.Fatal(err)
	}
	orgs := scope.IDs(cobuild.LabelOrganization)
	if len(orgs) < 100 || !scope.OwnArea(town) {
		t.Fatalf("the town's scope holds %d organisations, areas %v", len(orgs), scope.Areas())
	}
	key := snapshot.ProjectionKey(sourceDay, nil)
	p, err := v.Projection(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Census(ctx, sourceDay)
	if err != nil {
		t.Fatal(err)
	}
	places, err := v.Places(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Round(ctx, "2023-05")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range p.Nodes {
		if !scope.Has(n.ID) {
			t.Fatalf("node %d of the projection within, %s, is outside the town", i, n.ID)
		}
	}
	if cached, ok := v.CachedPlaces(ctx); !ok || cached != places {
		t.Errorf("the places within the town, built, are not cached: %v", ok)
	}
	if len(c.Rows) != len(orgs) || len(places.Rows) != len(orgs) {
		t.Errorf("census %d and places %d rows within, the scope %d organisations", len(c.Rows), len(places.Rows), len(orgs))
	}
	for _, row := range c.Rows {
		if !scope.Has(row.ID) || row.CommunityID != "" && !scope.Has(row.CommunityID) {
			t.Errorf("census row %s (community %s) outside the town", row.ID, row.CommunityID)
		}
	}
	if len(r.Evaluations) == 0 {
		t.Error("no evaluation in the town's round")
	}
	for _, e := range r.Evaluations {
		if !scope.Has(e.ID) || !scope.Has(e.PartyOrgID) {
			t.Errorf("evaluation %s of %s outside the town", e.ID, e.PartyOrgID)
		}
	}
	if p.Meta.Key != key.Within(town) || !strings.HasSuffix(p.Meta.Parameters(), " within="+town) || c.Day() != sourceDay {
		t.Errorf("the projection within says %s, %q", p.Meta.Key, p.Meta.Parameters())
	}
	// The whole graph's, as they were, every one still cached.
	version, _ := v.Version(ctx)
	whole, err := svc.View().Census(ctx, sourceDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Rows) <= len(c.Rows) {
		t.Errorf("the whole census has %d rows, the town's %d", len(whole.Rows), len(c.Rows))
	}
	for _, k := range []snapshot.Key{key, snapshot.CensusKey(sourceDay), snapshot.PlacesKey(), snapshot.RoundKey("2023-05")} {
		if _, ok := svc.Cached(k, version); !ok {
			t.Errorf("the whole graph's %s was pushed out of the cache", k)
		}
		if _, ok := svc.Cached(k.Within(town), version); !ok {
			t.Errorf("%s is not cached", k.Within(town))
		}
	}
	// Another officer of the town, in another request, shares the scope and what was
	// narrowed to it.
	other := svc.View().Within([]string{town, town})
	again, err := other.Census(ctx, sourceDay)
	if cached, ok := other.CachedCensus(ctx, sourceDay); err != nil || again != c || !ok || cached != c || src.count("scope") != 1 {
		t.Errorf("another view of the town: census shared %v, cached %v, %d reads of the scope", again == c, ok, src.count("scope"))
	}
	if sc, err := svc.View().Scope(ctx); sc != nil || err != nil {
		t.Errorf("a view of the whole graph has scope %v, %v", sc, err)
	}
	// An officer of no area sees nothing.
	none, err := svc.View().Within(nil).Census(ctx, sourceDay)
	if err != nil || len(none.Rows) != 0 {
		t.Errorf("the census of no area: %v, %d rows", err, len(none.Rows))
	}
}

// Keys within a scope name it, and say so.
func TestKeysWithinAScope(t *testing.T) {
	k := snapshot.CensusKey(sourceDay).Within("ar-000019,ar-000025")
	if k.Whole() != snapshot.CensusKey(sourceDay) || k == snapshot.CensusKey(sourceDay) {
		t.Errorf("%+v: within and whole", k)
	}
	for _, tc := range []struct {
		key  snapshot.Key
		says string
	}{
		{k, "census 2023-10-21 within ar-000019,ar-000025"},
		{snapshot.ScopeOf("ar-000019"), "scope ar-000019"},
		{snapshot.PlacesKey().Within("-"), "places within -"},
	} {
		if got := tc.key.String(); got != tc.says {
			t.Errorf("%+v says %q, want %q", tc.key, got, tc.says)
		}
	}
	if got := (snapshot.Meta{Key: k}).Parameters(); got != "asOf=2023-10-21 within=ar-000019,ar-000025" {
		t.Errorf("parameters %q", got)
	}
	if got := (snapshot.Meta{Key: snapshot.RoundKey("2023-05").Within("ar-000019")}).Parameters(); got != "round=2023-05 within=ar-000019" {
		t.Errorf("parameters %q", got)
	}
}
