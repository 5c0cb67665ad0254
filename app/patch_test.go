package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"cobuild"
	"cobuild/analytics"
	"cobuild/fixture"
	"cobuild/snapshot"
)

// pools are the nodes random commands are drawn among.
type pools struct {
	orgs, people, hubs, joint, communities []string
	area                                   string
}

// fixturePools are the nodes of the drawing.
func fixturePools() pools {
	return pools{
		orgs: []string{fixture.Jia, fixture.Yi, fixture.Bing, fixture.Ding, fixture.Wu, fixture.Ji, fixture.Geng, fixture.Xin,
			fixture.Ren, fixture.Gui, fixture.Zi, fixture.Chou, fixture.Yin},
		people:      []string{"pe-900000001", "pe-900000002", "pe-900000003", "pe-900000004", "pe-900000005", "pe-900000006", "pe-900000007"},
		hubs:        []string{fixture.Alliance1, fixture.Alliance2},
		joint:       []string{"po-900000002"},
		communities: []string{fixture.Chengxi},
		area:        "ar-900000001",
	}
}

// districtPools are some nodes of the district: managed organisations, instructors,
// alliances, joint branches and communities of one town.
func districtPools(t *testing.T, l *live) pools {
	ctx := context.Background()
	store := l.a.Store
	var p pools
	orgs, err := store.Organizations(ctx, cobuild.OrgFilter{AreaID: "ar-000008", Sectors: cobuild.ManagedSectors}, cobuild.Sort{}, cobuild.PageArgs{First: 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs.Items {
		p.orgs = append(p.orgs, o.ID)
	}
	communities, err := store.Organizations(ctx, cobuild.OrgFilter{AreaID: "ar-000008", Kinds: []cobuild.OrgKind{cobuild.OrgCommunity}}, cobuild.Sort{}, cobuild.PageArgs{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range communities.Items {
		p.communities = append(p.communities, o.ID)
	}
	people, err := store.People(ctx, cobuild.PersonFilter{Roles: []string{"INSTRUCTOR"}, AsOf: cobuild.Today()}, cobuild.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range people.Items {
		p.people = append(p.people, x.ID)
	}
	hubs, _, err := store.Hubs(ctx, cobuild.LabelAlliance, cobuild.HubFilter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hubs {
		p.hubs = append(p.hubs, h.(*cobuild.Alliance).ID)
	}
	joint, err := store.PartyOrgs(ctx, cobuild.PartyOrgFilter{Kinds: []string{"JOINT_BRANCH"}}, cobuild.PageArgs{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range joint.Items {
		p.joint = append(p.joint, x.ID)
	}
	p.area = "ar-000008"
	if len(p.orgs) < 20 || len(p.people) == 0 || len(p.hubs) == 0 || len(p.joint) == 0 || len(p.communities) == 0 {
		t.Fatalf("the district's pools are short: %+v", p)
	}
	return p
}

// randomCommand is one of the officers' commands over the nodes of the pools, with
// arguments drawn at random: many are refused (a tie already in force, none to end),
// which must leave the snapshots as they are.
func randomCommand(r *rand.Rand, i int, today time.Time, p pools) cobuild.Command {
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	day := today.Format(time.DateOnly)
	past := today.AddDate(0, 0, -1-r.IntN(400)).Format(time.DateOnly)
	org := pick(p.orgs)
	var op string
	var args map[string]any
	switch r.IntN(14) {
	case 0:
		op, args = "joinHub", map[string]any{"organizationId": org, "hubId": pick(p.hubs), "since": past}
	case 1:
		op, args = "leaveHub", map[string]any{"organizationId": org, "hubId": pick(p.hubs), "on": day}
	case 2:
		op, args = "assignPerson", map[string]any{"personId": pick(p.people), "organizationId": org, "role": pick([]string{"INSTRUCTOR", "LIAISON"}), "since": past}
	case 3:
		op, args = "withdrawPerson", map[string]any{"personId": pick(p.people), "organizationId": org, "role": pick([]string{"INSTRUCTOR", "LIAISON"}), "on": day}
	case 4:
		op, args = "coverOrganization", map[string]any{"organizationId": org, "partyOrganizationId": pick(p.joint), "mode": "JOINT", "since": past}
	case 5:
		op, args = "endCoverage", map[string]any{"organizationId": org, "partyOrganizationId": pick(p.joint), "on": day}
	case 6:
		op, args = "linkCommunity", map[string]any{"organizationId": org, "communityId": pick(p.communities), "mode": pick([]string{"SHEQI", "SHUANGSHE"}), "since": past}
	case 7:
		op, args = "unlinkCommunity", map[string]any{"organizationId": org, "communityId": pick(p.communities), "on": day}
	case 8:
		op, args = "pairMentor", map[string]any{"mentorId": pick(p.people), "menteeId": pick(p.people), "since": past}
	case 9:
		op, args = "endMentoring", map[string]any{"mentorId": pick(p.people), "menteeId": pick(p.people), "on": day}
	case 10:
		op, args = "recordEvent", map[string]any{"input.name": fmt.Sprintf("活动%d", i), "input.kind": "JOINT_ACTIVITY", "input.date": past,
			"input.hostIds": []string{pick(p.hubs)}, "input.attendeeIds": []string{org}}
	case 11:
		op, args = "updateOrganization", map[string]any{"id": org, "input.name": fmt.Sprintf("改名%d", i), "input.partyMembers": r.IntN(6)}
	case 12:
		code, _ := cobuild.NewCreditCode('9', '1', "320000", 70000000+r.IntN(20000000))
		op, args = "registerOrganization", map[string]any{"input.name": fmt.Sprintf("新企业%d", i), "input.kind": "ENTERPRISE",
			"input.creditCode": code, "input.areaId": p.area, "input.communityId": pick(p.communities), "input.partyMembers": r.IntN(5), "input.headcount": 10}
	default:
		op, args = "formPartyOrganization", map[string]any{"input.organizationId": org, "input.foundedOn": past}
	}
	return cobuild.Command{Op: op, Args: args, Actor: cobuild.Actor{Subject: "property", Role: "admin"}}
}

// TestSnapshotsPatchedInPlaceEqualFreshOnes: after a few hundred random writes, each
// followed as it came, the census, places and network that server A keeps up to date in
// place equal the ones a new service builds afresh from the graph.
func TestSnapshotsPatchedInPlaceEqualFreshOnes(t *testing.T) {
	l := startLive(t)
	patchedEqualsFresh(t, l, fixturePools(), 200)
}

// TestSnapshotsPatchedInPlaceEqualFreshOnesOnTheDistrict: the same over the organisations,
// instructors, alliances and communities of one town of the district.
func TestSnapshotsPatchedInPlaceEqualFreshOnesOnTheDistrict(t *testing.T) {
	l := startLive(t)
	patchedEqualsFresh(t, l, districtPools(t, l), 150)
}

func patchedEqualsFresh(t *testing.T, l *live, p pools, n int) {
	ctx := context.Background()
	today := l.a.Resolvers.Today()
	seed := uint64(time.Now().UnixNano())
	t.Logf("random commands of seed %d", seed)
	r := rand.New(rand.NewPCG(11, seed))
	builds := l.a.Snapshots.Stats().Builds
	written := 0
	for i := range n {
		if _, err := l.a.Store.Apply(ctx, randomCommand(r, i, today, p)); err == nil {
			written++
		} else if cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Fatalf("command %d: %v", i, err)
		}
		if i%7 == 0 {
			l.a.Snapshots.Await(ctx, l.lastSeq(t))
		}
	}
	l.a.Snapshots.Await(ctx, l.lastSeq(t))
	v, err := l.a.Snapshots.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if written < n/4 {
		t.Fatalf("only %d of %d random commands wrote", written, n)
	}
	patchedCensus, err := l.a.Snapshots.Census(ctx, today, v)
	if err != nil {
		t.Fatal(err)
	}
	patchedNet, err := l.a.Snapshots.Projection(ctx, snapshot.ProjectionKey(today, nil), v)
	if err != nil {
		t.Fatal(err)
	}
	if st := l.a.Snapshots.Stats(); st.Builds != builds {
		t.Errorf("%d builds during the writes; want every change applied in place", st.Builds-builds)
	}
	fresh := snapshot.New(l.a.Store, l.a.Rules, snapshot.Options{})
	fv, err := fresh.Refresh(ctx)
	if err != nil || fv != v {
		t.Fatalf("fresh version %s (%v), patched %s", fv, err, v)
	}
	freshCensus, err := fresh.Census(ctx, today, v)
	if err != nil {
		t.Fatal(err)
	}
	freshNet, err := fresh.Projection(ctx, snapshot.ProjectionKey(today, nil), v)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(censusOf(freshCensus.Census), censusOf(patchedCensus.Census)); d != "" {
		t.Errorf("census patched in place differs from a fresh one after %d writes (-fresh +patched):\n%s", written, d)
	}
	if d := cmp.Diff(networkOf(freshNet.Projection), networkOf(patchedNet.Projection)); d != "" {
		t.Errorf("network patched in place differs from a fresh one after %d writes (-fresh +patched):\n%s", written, d)
	}
	t.Logf("%d of %d commands wrote; census of %d organisations, network of %d nodes and %d ties",
		written, n, len(freshCensus.Rows), freshNet.Graph.Nodes(), freshNet.Graph.LiveTies())
}

type censusRow struct {
	Row      cobuild.CensusRow
	Coverage cobuild.Coverage
	NameRank int
}

// censusOf is a census as its answers see it: each row with its coverage, and the order
// of the rows by name.
func censusOf(c *analytics.Census) map[string]censusRow {
	out := map[string]censusRow{}
	for i, row := range c.Rows {
		row.Coverers = slices.Sorted(slices.Values(c.CoverersOf(i)))
		row.Facts = c.FactsOf(i)
		row.Facts.CoveredModes = slices.Sorted(slices.Values(row.Facts.CoveredModes))
		out[row.ID] = censusRow{Row: row, Coverage: c.Coverage.At(i)}
	}
	for rank, i := range c.ByName {
		r := out[c.Rows[i].ID]
		r.NameRank = rank
		out[c.Rows[i].ID] = r
	}
	return out
}

type network struct {
	Nodes   map[string]analytics.NodeInfo
	Ties    []string
	Islands []string
	Degrees map[string]int
}

// networkOf is a projection as its answers see it: what each node is, the ties, the
// islands (each as its sorted members) and the degrees.
func networkOf(p *analytics.Projection) network {
	n := network{Nodes: map[string]analytics.NodeInfo{}, Degrees: map[string]int{}}
	for i, info := range p.Nodes {
		n.Nodes[info.ID] = info
		n.Degrees[info.ID] = p.Graph.Degree(i)
	}
	for i, t := range p.Ties {
		if !p.Graph.Dead(i) {
			n.Ties = append(n.Ties, fmt.Sprintf("%s %s→%s %s %s", t.Type, t.From, t.To, t.Role, t.Mode))
		}
	}
	slices.Sort(n.Ties)
	isl := p.Islands()
	members := make([][]string, isl.Count)
	for v, c := range isl.Of {
		members[c] = append(members[c], p.Graph.ID(v))
	}
	for _, m := range members {
		slices.Sort(m)
		n.Islands = append(n.Islands, strings.Join(m, ","))
	}
	slices.Sort(n.Islands)
	return n
}
