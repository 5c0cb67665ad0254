package cobuild

import (
	"slices"
	"time"
)

// JointTiesOn returns the ties of a data set that are joint-building ties in force on a
// day, as the network follows them: memberships, co-building, mentorships, placements,
// apprenticeships, trainings and agreements in force; events held or attended from the
// event's date on; and the work of people who mentor or are mentored on the day. This is
// the Go form of the rule; its Cypher form is in neo4jstore/cypher.go, and a test holds
// the two together on the drawn graph of package fixture.
func (ds *Dataset) JointTiesOn(day time.Time) []DataRel {
	dates := map[string]*time.Time{}
	for _, n := range ds.Nodes {
		if slices.Contains(n.Labels, string(LabelEvent)) {
			id, _ := n.Props["id"].(string)
			dates[id] = dateProp(n.Props, "date")
		}
	}
	mentoring := map[string]bool{}
	for _, r := range ds.Rels {
		if r.Type == Mentors && InForce(dateProp(r.Props, "since"), dateProp(r.Props, "until"), day) {
			mentoring[r.From], mentoring[r.To] = true, true
		}
	}
	var out []DataRel
	for _, r := range ds.Rels {
		if !r.Type.Joint() {
			continue
		}
		ok := InForce(dateProp(r.Props, "since"), dateProp(r.Props, "until"), day)
		switch r.Type {
		case Attended, Held:
			d := dates[r.To]
			ok = d == nil || !d.After(day)
		case WorksAt:
			ok = ok && mentoring[r.From]
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// FactsOn returns the coverage facts of an organisation of a data set on a day: the Go
// form of what the store reads (neo4jstore/cypher.go), held to it on the drawn graph.
func (ds *Dataset) FactsOn(id string, day time.Time) CoverageFacts {
	var f CoverageFacts
	for _, n := range ds.Nodes {
		if n.Props["id"] == id {
			if s, ok := n.Props["sector"].(string); ok {
				f.Sector = Sector(s)
			}
			if m, ok := n.Props["partyMembers"].(int64); ok {
				f.PartyMembers = int(m)
			}
		}
	}
	for _, r := range ds.Rels {
		if (r.From != id && r.To != id) || !InForce(dateProp(r.Props, "since"), dateProp(r.Props, "until"), day) {
			continue
		}
		switch {
		case r.Type == HasPartyOrg && r.From == id:
			f.OwnPartyOrgs++
		case r.Type == CoveredBy && r.From == id:
			mode, _ := r.Props["mode"].(string)
			f.CoveredModes = append(f.CoveredModes, mode)
		case r.Type == AssignedTo && r.To == id && r.Props["role"] == "INSTRUCTOR":
			f.Instructors++
		case r.Type == AssignedTo && r.To == id && r.Props["role"] == "LIAISON":
			f.Liaisons++
		case r.Type == FormedIn && r.To == id:
			f.MassBranches++
		}
	}
	slices.Sort(f.CoveredModes)
	for _, r := range ds.JointTiesOn(day) {
		if r.From == id || r.To == id {
			f.JointTies = 1
			break
		}
	}
	return f
}

func dateProp(p map[string]any, k string) *time.Time {
	if t, ok := p[k].(time.Time); ok {
		return &t
	}
	return nil
}
