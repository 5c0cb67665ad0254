package server_test

import (
	"testing"
)

// sourceDay is the day of the source report; the figures hold on it.
const sourceDay = "2023-10-21"

type count struct{ TotalCount int }
type ids []struct{ ID string }

// TestEveryFigureOfTheSourceThroughGraphQL reads each figure of docs/domain.md through the API
// on the demo data and compares it with the source.
func TestEveryFigureOfTheSourceThroughGraphQL(t *testing.T) {
	h := api(t)
	var d struct {
		Enterprises, Social, MassBranches, ParkExchanges, Weak, Gold, Reviewed, Certified count
		Recruits, Apprentices, Mentors, Seconded, JointMeetings, JointActivities          count
		WorkingCommittee                                                                  []struct{ Members count }
		Recommending, Helping                                                             struct {
			Nodes []struct{ Recommended, HelpedForm ids }
		}
		PartyMass, Provincial           []struct{ ID, Kind string }
		Agreements                      []struct{ Parties []struct{ Name string } }
		Circles, Blocks, Brands, Routes []struct{ Name string }
		Training                        struct{ Attendance int }
		Leading                         []struct{ Name string }
		Committees, Clusters            []struct {
			Kind    string
			Members struct {
				TotalCount int
				Nodes      []struct{ ID string }
			}
		}
		Belts []struct {
			Name  string
			Sites []struct{ Kind string }
		}
		Hospital struct{ ID string }
	}
	data(t, h, `query($day: Date!) {
		enterprises: organizations(where: {sector: [ENTERPRISE]}) { totalCount }
		social: organizations(where: {sector: [SOCIAL]}) { totalCount }
		workingCommittee: alliances(kind: WORKING_COMMITTEE) { members(where: {kind: [MASS_ORG], asOf: $day}) { totalCount } }
		massBranches { totalCount }
		recommending: massBranches(where: {recommended: true}, first: 500) { nodes { recommended { id } helpedForm { id } } }
		helping: massBranches(where: {helpedForm: true}, first: 500) { nodes { recommended { id } helpedForm { id } } }
		partyMass: demoSites(kind: PARTY_MASS) { id kind }
		agreements { parties { name } }
		parkExchanges: events(where: {kind: [PARK_EXCHANGE]}) { totalCount }
		circles: redZones(kind: BUSINESS_CIRCLE) { name }
		blocks: redZones(kind: BLOCK) { name }
		weak: evaluations(where: {round: "2023-05", tier: [WEAK]}) { totalCount }
		gold: evaluations(where: {round: "2023-05", tier: [GOLD]}) { totalCount }
		reviewed: certifications { totalCount }
		certified: certifications(where: {status: [CERTIFIED]}) { totalCount }
		recruits: people(where: {role: [RECRUIT], asOf: $day}) { totalCount }
		apprentices: people(where: {role: [APPRENTICE], asOf: $day}) { totalCount }
		mentors: people(where: {role: [INSTRUCTOR, MENTOR], asOf: $day}) { totalCount }
		seconded: people(where: {role: [SECONDED], asOf: $day}) { totalCount }
		training: events(where: {kind: [DELTA_TRAINING]}) { attendance }
		provincial: demoSites(kind: PROVINCIAL) { id kind }
		brands: brands(kind: BRAND) { name }
		routes: brands(kind: STUDY_ROUTE) { name }
		leading: industries(leading: true) { name }
		committees: alliances(kind: INDUSTRY_COMMITTEE) { kind members(where: {aboveScale: true, kind: [ENTERPRISE], asOf: $day}, first: 500) { totalCount nodes { id } } }
		clusters: alliances(kind: CLUSTER_ALLIANCE) { kind members(where: {aboveScale: true, kind: [ENTERPRISE], asOf: $day}, first: 500) { totalCount nodes { id } } }
		jointMeetings: events(where: {kind: [JOINT_MEETING]}) { totalCount }
		jointActivities: events(where: {kind: [JOINT_ACTIVITY]}) { totalCount }
		belts: demoBelts { name sites { kind } }
		hospital: alliance(name: "民办医院党建联盟") { id }
	}`, map[string]any{"day": sourceDay}, &d)

	sumTies := func(nodes []struct{ Recommended, HelpedForm ids }, pick func(struct{ Recommended, HelpedForm ids }) ids) int {
		n := 0
		for _, b := range nodes {
			n += len(pick(b))
		}
		return n
	}
	aboveScale := map[string]bool{}
	for _, a := range append(d.Committees, d.Clusters...) {
		for _, m := range a.Members.Nodes {
			aboveScale[m.ID] = true
		}
	}
	beltPoints := 0
	for _, b := range d.Belts {
		for _, s := range b.Sites {
			if s.Kind == "BELT_POINT" {
				beltPoints++
			}
		}
	}
	massBodies := 0
	for _, wc := range d.WorkingCommittee {
		massBodies += wc.Members.TotalCount
	}

	// Figures of the private-hospital alliance need its id.
	var hosp struct {
		Meetings struct{ TotalCount int }
		Service  struct{ PersonTimes int }
	}
	data(t, h, `query($id: ID!) {
		meetings: events(where: {kind: [COMMUNITY_JOINT_MEETING], partyId: $id}) { totalCount }
		service: events(where: {kind: [EPIDEMIC_SERVICE], partyId: $id}) { personTimes }
	}`, map[string]any{"id": d.Hospital.ID}, &hosp)

	figures := []struct {
		what      string
		got, want int
	}{
		{"registered non-public enterprises", d.Enterprises.TotalCount, 14673},
		{"social organisations", d.Social.TotalCount, 313},
		{"mass-organisation bodies in the working committee", massBodies, 3},
		{"new mass-organisation branches", d.MassBranches.TotalCount, 102},
		{"people recommended by mass organisations", sumTies(d.Recommending.Nodes, func(b struct{ Recommended, HelpedForm ids }) ids { return b.Recommended }), 52},
		{"party organisations mass organisations helped form", sumTies(d.Helping.Nodes, func(b struct{ Recommended, HelpedForm ids }) ids { return b.HelpedForm }), 16},
		{"party–mass demonstration points", len(d.PartyMass), 8},
		{"park co-building agreements", len(d.Agreements), 2},
		{"park exchange activities", d.ParkExchanges.TotalCount, 4},
		{"red business circles", len(d.Circles), 2},
		{"red blocks", len(d.Blocks), 3},
		{"community joint meetings of the hospital alliance", hosp.Meetings.TotalCount, 5},
		{"epidemic-control person-times", hosp.Service.PersonTimes, 112},
		{"weak party organisations", d.Weak.TotalCount, 4},
		{"gold party organisations", d.Gold.TotalCount, 24},
		{"red-leader candidates reviewed", d.Reviewed.TotalCount, 307},
		{"red leaders certified", d.Certified.TotalCount, 32},
		{"government-hired recruits", d.Recruits.TotalCount, 27},
		{"apprentices trained", d.Apprentices.TotalCount, 186},
		{"instructors serving as mentors", d.Mentors.TotalCount, 135},
		{"workers seconded", d.Seconded.TotalCount, 4},
		{"Yangtze-delta training person-times", d.Training.Attendance, 157},
		{"provincial demonstration points", len(d.Provincial), 2},
		{"brands", len(d.Brands), 2},
		{"study routes", len(d.Routes), 1},
		{"leading industries", len(d.Leading), 3},
		{"industry party committees", len(d.Committees), 3},
		{"industry-cluster alliances", len(d.Clusters), 3},
		{"above-scale firms in committees and alliances", len(aboveScale), 96},
		{"joint meetings", d.JointMeetings.TotalCount, 11},
		{"joint activities", d.JointActivities.TotalCount, 31},
		{"demonstration belts", len(d.Belts), 2},
		{"demonstration points on the belts", beltPoints, 33},
	}
	for _, f := range figures {
		if f.got != f.want {
			t.Errorf("%s: got %d, want %d", f.what, f.got, f.want)
		}
	}
}

// TestEveryNamedEntityExists looks up each entity the source names.
func TestEveryNamedEntityExists(t *testing.T) {
	h := api(t)
	orgs := map[string]string{"城东社区": "Community", "宣城仁杰医院": "Hospital", "宣城信息工程学校": "School",
		"立讯精密": "Enterprise", "美诺华药业": "Enterprise", "宣酒": "Enterprise"}
	for name, typ := range orgs {
		var d struct {
			Organization *struct {
				Typename string `json:"__typename"`
			}
		}
		data(t, h, `query($n: String!) { organization(name: $n) { __typename } }`, map[string]any{"n": name}, &d)
		if d.Organization == nil || d.Organization.Typename != typ {
			t.Errorf("organisation %s: got %+v, want a %s", name, d.Organization, typ)
		}
	}
	areas := map[string]string{"宣城高新区": "PARK", "宣州经开区": "PARK", "上海松江区": "DISTRICT", "高淳开发区": "PARK", "无锡高新区": "PARK", "寒亭镇": "TOWN"}
	for name, kind := range areas {
		var d struct{ Area *struct{ Kind string } }
		data(t, h, `query($n: String!) { area(name: $n) { kind } }`, map[string]any{"n": name}, &d)
		if d.Area == nil || d.Area.Kind != kind {
			t.Errorf("area %s: got %+v, want kind %s", name, d.Area, kind)
		}
	}
	var d struct {
		Alliance *struct{ Kind string }
		Belts    []struct{ Name string }
		Leading  []struct{ Name string }
		Brands   []struct{ Name string }
	}
	data(t, h, `{ alliance(name: "民办医院党建联盟") { kind } belts: demoBelts { name } leading: industries(leading: true) { name } brands { name } }`, nil, &d)
	if d.Alliance == nil || d.Alliance.Kind != "HOSPITAL_ALLIANCE" {
		t.Errorf("民办医院党建联盟: got %+v", d.Alliance)
	}
	want := map[string]bool{"昭亭路—高新区": false, "西城区—寒亭镇": false, "精细化工": false, "智能装备制造": false,
		"碳酸钙新材料": false, "四个围绕工作法": false, "仁心向党": false, "宣酒红色小镇": false}
	for _, l := range [][]struct{ Name string }{d.Belts, d.Leading, d.Brands} {
		for _, x := range l {
			if _, ok := want[x.Name]; ok {
				want[x.Name] = true
			}
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("%s is missing", name)
		}
	}
}

// TestFiguresAreThoseOfTheirDay: the data hold placements, apprenticeships and
// memberships that begin or end around the source day, so the figures that depend on a
// day differ on other days, by what the generator adds (demo/figures.go): 3 recruits
// placed in November 2023, 5 apprentices of March 2024, one above-scale firm that left its
// committee in June 2023 and one that joins a cluster alliance in December 2023.
func TestFiguresAreThoseOfTheirDay(t *testing.T) {
	h := api(t)
	const q = `query($day: Date!) {
		recruits: people(where: {role: [RECRUIT], asOf: $day}) { totalCount }
		apprentices: people(where: {role: [APPRENTICE], asOf: $day}) { totalCount }
		committees: alliances(kind: INDUSTRY_COMMITTEE) { members(where: {aboveScale: true, kind: [ENTERPRISE], asOf: $day}, first: 500) { nodes { id } } }
		clusters: alliances(kind: CLUSTER_ALLIANCE) { members(where: {aboveScale: true, kind: [ENTERPRISE], asOf: $day}, first: 500) { nodes { id } } }
	}`
	for _, tc := range []struct {
		day                               string
		recruits, apprentices, aboveScale int
	}{
		{sourceDay, 27, 186, 96},
		{"2024-06-01", 30, 191, 97},
		{"2023-01-01", 12, -1, -1}, // the 12 of September 2022; apprentices and members are spread over 2022
		{"2022-01-01", 0, 0, -1},   // before the first placement and the first cohort
	} {
		var d struct {
			Recruits, Apprentices count
			Committees, Clusters  []struct{ Members struct{ Nodes ids } }
		}
		data(t, h, q, map[string]any{"day": tc.day}, &d)
		above := map[string]bool{}
		for _, a := range append(d.Committees, d.Clusters...) {
			for _, m := range a.Members.Nodes {
				above[m.ID] = true
			}
		}
		if d.Recruits.TotalCount != tc.recruits {
			t.Errorf("%s: %d recruits placed, want %d", tc.day, d.Recruits.TotalCount, tc.recruits)
		}
		if tc.apprentices >= 0 && d.Apprentices.TotalCount != tc.apprentices {
			t.Errorf("%s: %d apprentices, want %d", tc.day, d.Apprentices.TotalCount, tc.apprentices)
		}
		if tc.aboveScale >= 0 && len(above) != tc.aboveScale {
			t.Errorf("%s: %d above-scale firms in committees and alliances, want %d", tc.day, len(above), tc.aboveScale)
		}
	}
}
