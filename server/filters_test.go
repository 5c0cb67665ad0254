package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type orgRow struct {
	ID, Name, Kind, Sector, SizeBand string
	Headcount, PartyMembers          int
	AboveScale, Operating            bool
	Area, Park, Community, Industry  *struct{ ID string }
	Coverage                         struct {
		Status        string
		Isolated      bool
		ShouldHaveOwn bool
	}
	LatestEvaluation *struct{ Round, Tier string }
}

const rowFields = `id name kind sector sizeBand headcount partyMembers aboveScale operating
	area { id } park { id } community { id } industry { id }
	coverage(asOf: "2023-10-21") { status isolated shouldHaveOwn } latestEvaluation { round tier }`

// TestEveryFilterKeepsOnlyWhatItSays runs each filter and checks every row it returns
// against the fields that the filter is about, and that it returns some rows.
func TestEveryFilterKeepsOnlyWhatItSays(t *testing.T) {
	h := api(t)
	var ref struct {
		Town      []struct{ ID string } `json:"town"`
		Park      []struct{ ID string } `json:"park"`
		Industry  struct{ ID string }
		Chengdong struct{ ID string }
	}
	data(t, h, `{ town: areas(kind: SUBDISTRICT) { id } park: areas(kind: PARK, inDistrict: true) { id }
		industry(name: "精细化工") { id } chengdong: organization(name: "城东社区") { id } }`, nil, &ref)
	town, park := ref.Town[0].ID, ref.Park[0].ID
	tests := []struct {
		name  string
		where string
		keep  func(orgRow) bool
	}{
		{"kind", `{kind: [HOSPITAL]}`, func(o orgRow) bool { return o.Kind == "HOSPITAL" }},
		{"sector", `{sector: [SOCIAL]}`, func(o orgRow) bool { return o.Sector == "SOCIAL" }},
		{"area", `{areaId: "` + town + `"}`, func(o orgRow) bool { return o.Area != nil && o.Area.ID == town }},
		{"park", `{parkId: "` + park + `"}`, func(o orgRow) bool { return o.Park != nil && o.Park.ID == park }},
		{"community", `{communityId: "` + ref.Chengdong.ID + `"}`, func(o orgRow) bool { return o.Community != nil && o.Community.ID == ref.Chengdong.ID }},
		{"industry", `{industryId: "` + ref.Industry.ID + `"}`, func(o orgRow) bool { return o.Industry != nil && o.Industry.ID == ref.Industry.ID }},
		{"above scale", `{aboveScale: true}`, func(o orgRow) bool { return o.AboveScale }},
		{"not operating", `{operating: false}`, func(o orgRow) bool { return !o.Operating }},
		{"size band", `{sizeBand: [MEDIUM]}`, func(o orgRow) bool { return o.SizeBand == "MEDIUM" && o.Headcount >= 100 && o.Headcount < 300 }},
		{"party-member range", `{partyMembersMin: 5, partyMembersMax: 7}`, func(o orgRow) bool { return o.PartyMembers >= 5 && o.PartyMembers <= 7 }},
		{"coverage", `{coverage: [WORK], asOf: "2023-10-21"}`, func(o orgRow) bool { return o.Coverage.Status == "WORK" }},
		{"isolated and uncovered", `{coverage: [UNCOVERED], isolated: true, asOf: "2023-10-21"}`, func(o orgRow) bool {
			return o.Coverage.Status == "UNCOVERED" && o.Coverage.Isolated
		}},
		{"should have own", `{shouldHaveOwn: true, asOf: "2023-10-21"}`, func(o orgRow) bool { return o.Coverage.ShouldHaveOwn && o.PartyMembers >= 3 }},
		{"tier", `{tier: [SILVER], round: "2023-05"}`, func(o orgRow) bool {
			return o.LatestEvaluation != nil && o.LatestEvaluation.Round == "2023-05" && o.LatestEvaluation.Tier == "SILVER"
		}},
		{"name", `{nameContains: "医院"}`, func(o orgRow) bool { return strings.Contains(o.Name, "医院") }},
		{"several at once", `{sector: [ENTERPRISE], industryId: "` + ref.Industry.ID + `", aboveScale: true}`, func(o orgRow) bool {
			return o.Sector == "ENTERPRISE" && o.AboveScale && o.Industry != nil && o.Industry.ID == ref.Industry.ID
		}},
	}
	all := allOrganizations(t, h)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d struct {
				Organizations struct {
					TotalCount int
					Nodes      []orgRow
				}
			}
			data(t, h, `{ organizations(where: `+tt.where+`, first: 200) { totalCount nodes { `+rowFields+` } } }`, nil, &d)
			if len(d.Organizations.Nodes) == 0 {
				t.Fatalf("no rows; the demo data should have some for %s", tt.where)
			}
			if d.Organizations.TotalCount < len(d.Organizations.Nodes) {
				t.Errorf("totalCount %d is below the %d rows returned", d.Organizations.TotalCount, len(d.Organizations.Nodes))
			}
			for _, o := range d.Organizations.Nodes {
				if !tt.keep(o) {
					t.Errorf("%s kept %+v", tt.where, o)
					break
				}
			}
			// Complete: as many as the organisations whose fields say they match, and when
			// they all fit on the page, the same ones.
			var want []string
			for _, o := range all {
				if tt.keep(o) {
					want = append(want, o.ID)
				}
			}
			if d.Organizations.TotalCount != len(want) {
				t.Errorf("%s: totalCount %d, but %d organisations match", tt.where, d.Organizations.TotalCount, len(want))
			}
			if len(want) <= 200 {
				var got []string
				for _, o := range d.Organizations.Nodes {
					got = append(got, o.ID)
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s: returned %d rows, %d match; missing or extra: %v", tt.where, len(got), len(want), symmetricDifference(got, want))
				}
			}
		})
	}
}

// allOrganizations reads every organisation with the fields of the filters, page by page.
func allOrganizations(t *testing.T, h http.Handler) []orgRow {
	t.Helper()
	var all []orgRow
	var after any
	for {
		var d struct {
			Organizations struct {
				Nodes    []orgRow
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		data(t, h, `query($after: String) { organizations(first: 500, after: $after) { nodes { `+rowFields+` } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"after": after}, &d)
		all = append(all, d.Organizations.Nodes...)
		if !d.Organizations.PageInfo.HasNextPage {
			return all
		}
		after = d.Organizations.PageInfo.EndCursor
	}
}

func symmetricDifference(a, b []string) []string {
	in := map[string]int{}
	for _, x := range a {
		in[x]++
	}
	for _, x := range b {
		in[x]--
	}
	var out []string
	for x, n := range in {
		if n != 0 {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}
