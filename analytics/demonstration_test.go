package analytics_test

import (
	"testing"

	"cobuild"
	"cobuild/analytics"
)

// The helpers of this file are prefixed dm so that they cannot clash with those of the
// other test files of the package.

func dmCheckKinds(t *testing.T, what string, got []*analytics.KindCount, want []analytics.KindCount) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil list, want a list", what)
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d kinds %v, want %d", what, len(got), got, len(want))
		return
	}
	for i := range want {
		if *got[i] != want[i] {
			t.Errorf("%s %d = %+v, want %+v", what, i, *got[i], want[i])
		}
	}
}

func dmCheckTiers(t *testing.T, what string, got []*analytics.TierCount, gold, silver, bronze, weak int) {
	t.Helper()
	want := []analytics.TierCount{
		{Tier: cobuild.TierGold, Label: "金色示范型", Count: gold},
		{Tier: cobuild.TierSilver, Label: "银色扶优型", Count: silver},
		{Tier: cobuild.TierBronze, Label: "铜色基础型", Count: bronze},
		{Tier: cobuild.TierWeak, Label: "软弱涣散", Count: weak},
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d tier counts, want %d", what, len(got), len(want))
		return
	}
	for i := range want {
		if *got[i] != want[i] {
			t.Errorf("%s tier %d = %+v, want %+v", what, i, *got[i], want[i])
		}
	}
}

func TestCountKindsCountsByKindInKindOrder(t *testing.T) {
	got := analytics.CountKinds([]string{"SCHOOL", "ENTERPRISE", "SCHOOL", "UNKNOWN_KIND", "ENTERPRISE", "SCHOOL"}, "OrgKind")
	// ENTERPRISE 2, SCHOOL 3, UNKNOWN_KIND 1 (no label: the value itself).
	dmCheckKinds(t, "CountKinds", got, []analytics.KindCount{
		{Kind: "ENTERPRISE", Label: "非公企业", Count: 2},
		{Kind: "SCHOOL", Label: "学校", Count: 3},
		{Kind: "UNKNOWN_KIND", Label: "UNKNOWN_KIND", Count: 1},
	})
	// The enum named gives the labels.
	dmCheckKinds(t, "CountKinds of events", analytics.CountKinds([]string{"JOINT_MEETING"}, "EventKind"),
		[]analytics.KindCount{{Kind: "JOINT_MEETING", Label: "党建联席会议", Count: 1}})
	dmCheckKinds(t, "CountKinds(nil)", analytics.CountKinds(nil, "OrgKind"), nil)
}

func dmHubRows() []cobuild.HubRow {
	return []cobuild.HubRow{
		{ID: "h1", Name: "高新区产业集群党建联盟", Kind: "CLUSTER_ALLIANCE", Members: 4, AboveScale: 2,
			MemberKinds: []string{"SOCIAL_ORG", "ENTERPRISE", "HOSPITAL", "ENTERPRISE"},
			Events: []cobuild.EventRow{
				{Kind: "JOINT_MEETING", PersonTimes: 20},
				{Kind: "JOINT_ACTIVITY", PersonTimes: 35},
				{Kind: "JOINT_MEETING", PersonTimes: 16},
			},
			MemberPartyOrgs: []string{"po1", "po2", "po1", "po9"}},
		{ID: "h2", Name: "示范带一", Kind: "BELT"},
		{ID: "h3", Name: "园区共建协议", Kind: "AGREEMENT", Members: 1, MemberKinds: []string{"COMMUNITY"},
			Events: []cobuild.EventRow{{Kind: "PARK_EXCHANGE", PersonTimes: 0}}, MemberPartyOrgs: []string{"po3"}},
	}
}

func TestNewHubStatsDescribesEveryHubWhenNoKindIsAsked(t *testing.T) {
	tierOf := map[string]cobuild.Tier{"po1": cobuild.TierGold, "po2": cobuild.TierWeak, "po3": cobuild.TierSilver}
	hubs := analytics.NewHubStats(dmHubRows(), nil, tierOf)
	if len(hubs) != 3 {
		t.Fatalf("%d hubs, want 3", len(hubs))
	}
	h := hubs[0]
	if h.ID != "h1" || h.Name != "高新区产业集群党建联盟" || h.Kind != "CLUSTER_ALLIANCE" || h.KindLabel != "产业集群党建联盟" ||
		h.Members != 4 || h.AboveScaleMembers != 2 {
		t.Errorf("hub 0 = %s %s %s %s members %d above scale %d, want h1 高新区产业集群党建联盟 CLUSTER_ALLIANCE 产业集群党建联盟 4 2",
			h.ID, h.Name, h.Kind, h.KindLabel, h.Members, h.AboveScaleMembers)
	}
	dmCheckKinds(t, "h1 member kinds", h.MemberKinds, []analytics.KindCount{
		{Kind: "ENTERPRISE", Label: "非公企业", Count: 2},
		{Kind: "HOSPITAL", Label: "民办医院", Count: 1},
		{Kind: "SOCIAL_ORG", Label: "社会组织", Count: 1},
	})
	// Events by kind: JOINT_ACTIVITY once with 35; JOINT_MEETING twice with 20 + 16 = 36.
	dmCheckKinds(t, "h1 events", h.Events, []analytics.KindCount{
		{Kind: "JOINT_ACTIVITY", Label: "联合活动", Count: 1, PersonTimes: 35},
		{Kind: "JOINT_MEETING", Label: "党建联席会议", Count: 2, PersonTimes: 36},
	})
	// po1 twice (gold), po2 weak, po9 without a tier: not counted.
	dmCheckTiers(t, "h1", h.MemberTiers, 2, 0, 0, 1)

	h = hubs[1]
	if h.ID != "h2" || h.KindLabel != "示范带" || h.Members != 0 {
		t.Errorf("hub 1 = %s %s members %d, want h2 示范带 0", h.ID, h.KindLabel, h.Members)
	}
	dmCheckKinds(t, "h2 member kinds", h.MemberKinds, nil)
	dmCheckKinds(t, "h2 events", h.Events, nil)
	dmCheckTiers(t, "h2", h.MemberTiers, 0, 0, 0, 0)

	h = hubs[2]
	if h.ID != "h3" || h.KindLabel != "园区共建协议" {
		t.Errorf("hub 2 = %s %s, want h3 园区共建协议", h.ID, h.KindLabel)
	}
	dmCheckKinds(t, "h3 events", h.Events, []analytics.KindCount{{Kind: "PARK_EXCHANGE", Label: "园区党建交流活动", Count: 1}})
	dmCheckTiers(t, "h3", h.MemberTiers, 0, 1, 0, 0)
}

func TestNewHubStatsKeepsTheKindsAsked(t *testing.T) {
	for _, c := range []struct {
		kinds []string
		want  []string
	}{
		{[]string{"BELT", "AGREEMENT"}, []string{"h2", "h3"}}, // in the rows' order, not the kinds'
		{[]string{"CLUSTER_ALLIANCE"}, []string{"h1"}},
		{[]string{"BLOCK"}, []string{}},
		{[]string{}, []string{"h1", "h2", "h3"}}, // none asked: all
	} {
		hubs := analytics.NewHubStats(dmHubRows(), c.kinds, nil)
		if hubs == nil {
			t.Errorf("kinds %v: nil list, want a list", c.kinds)
		}
		var got []string
		for _, h := range hubs {
			got = append(got, h.ID)
		}
		if len(got) != len(c.want) {
			t.Errorf("kinds %v: hubs %v, want %v", c.kinds, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("kinds %v: hubs %v, want %v", c.kinds, got, c.want)
				break
			}
		}
	}
}
