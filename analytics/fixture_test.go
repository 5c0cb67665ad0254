package analytics

import (
	"slices"
	"testing"

	"cobuild"
	"cobuild/fixture"
)

// drawn builds the projection of the drawn graph on a day, as the store would: every
// organisation, and the joint-building ties in force (cobuild.Dataset.JointTiesOn).
func drawn(t *testing.T) *Projection {
	t.Helper()
	ds := fixture.Graph()
	names := map[string]string{}
	var nodes []NodeInfo
	for _, n := range ds.Nodes {
		id, _ := n.Props["id"].(string)
		names[id], _ = n.Props["name"].(string)
		if slices.Contains(n.Labels, string(cobuild.LabelOrganization)) {
			kind, _ := n.Props["kind"].(string)
			nodes = append(nodes, NodeInfo{ID: id, Label: cobuild.LabelOrganization, Kind: kind, Name: names[id]})
		}
	}
	var ties []TieInfo
	for _, r := range ds.JointTiesOn(fixture.Day) {
		for _, end := range []string{r.From, r.To} {
			if l, _ := cobuild.LabelOf(end); l != cobuild.LabelOrganization {
				nodes = append(nodes, NodeInfo{ID: end, Label: l, Name: names[end]})
			}
		}
		ties = append(ties, TieInfo{Type: r.Type, From: r.From, To: r.To})
	}
	return NewProjection(Build(nodes, ties))
}

func TestTheDrawnGraphsIslandsBrokersAndBridges(t *testing.T) {
	p := drawn(t)
	var sizes []int
	for _, is := range p.IslandList(100, 1) {
		sizes = append(sizes, is.Size)
	}
	if !slices.Equal(sizes, fixture.IslandSizes) {
		t.Errorf("islands %v, the drawing has %v", sizes, fixture.IslandSizes)
	}
	if got := p.IsolatedOrganizations(); got != len(fixture.Isolated) {
		t.Errorf("%d isolated organisations, the drawing has %d", got, len(fixture.Isolated))
	}
	brokers := map[string]int{}
	for _, b := range p.BrokerList(100) {
		brokers[p.Nodes[b.Node].ID] = b.SplitsInto
	}
	for id, parts := range fixture.Brokers {
		if brokers[id] != parts {
			t.Errorf("broker %s splits its island into %d, the drawing says %d", id, brokers[id], parts)
		}
	}
	if len(brokers) != len(fixture.Brokers) {
		t.Errorf("brokers %v, the drawing has %v", brokers, fixture.Brokers)
	}
	if got := len(p.BridgeList(100)); got != fixture.Bridges {
		t.Errorf("%d bridges, the drawing has %d", got, fixture.Bridges)
	}
}

func TestTheDrawnGraphsChains(t *testing.T) {
	p := drawn(t)
	for _, c := range []struct {
		from, to    string
		hops, count int
	}{
		{fixture.Jia, fixture.Ding, 4, 1},
		{fixture.Geng, fixture.Xin, 3, 1},
		{fixture.Jia, fixture.Gui, -1, 0},
	} {
		a, _ := p.Graph.Lookup(c.from)
		b, _ := p.Graph.Lookup(c.to)
		s := p.Graph.ShortestPaths(a, b, 6, 5, nil)
		if s.Hops != c.hops || int(s.Count) != c.count {
			t.Errorf("%s to %s: %d hops, %d chains; the drawing has %d and %d", c.from, c.to, s.Hops, s.Count, c.hops, c.count)
		}
	}
}

func TestTheDrawnGraphsWhatIf(t *testing.T) {
	p := drawn(t)
	for _, c := range []struct {
		remove        string
		after         int
		split         []int
		newlyIsolated []string
	}{
		{fixture.Mentor, 10, []int{1, 1, 1}, []string{fixture.Geng, fixture.Xin}},
		{fixture.Alliance1, 10, []int{3, 1, 1}, []string{fixture.Jia, fixture.Yi}},
		{fixture.Meeting, 9, []int{2, 1}, []string{fixture.Wu}},
	} {
		v, _ := p.Graph.Lookup(c.remove)
		r := p.Remove(v)
		var isolated []string
		for _, n := range r.NewlyIsolated {
			isolated = append(isolated, p.Nodes[n].ID)
		}
		slices.Sort(isolated)
		if r.IslandsBefore != len(fixture.IslandSizes) || r.IslandsAfter != c.after || !slices.Equal(r.Split, c.split) || !slices.Equal(isolated, c.newlyIsolated) {
			t.Errorf("without %s: %d -> %d islands, split %v, newly isolated %v; the drawing says %d -> %d, %v, %v",
				c.remove, r.IslandsBefore, r.IslandsAfter, r.Split, isolated, len(fixture.IslandSizes), c.after, c.split, c.newlyIsolated)
		}
	}
}
