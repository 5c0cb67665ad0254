package demo

import (
	"fmt"
	"math"
	"time"
)

const (
	instructorsPerCopy = 220
	liaisonsPerCopy    = 150
)

func (g *gen) addPartyOrg(kind, name string, founded time.Time, members, owner, areaIdx int, evaluated bool) int {
	id := g.node("po", g.single["PartyOrg"], map[string]any{
		"name": name, "kind": g.sv(kind), "foundedOn": g.dv(founded), "members": int64(members),
	})
	g.pos = append(g.pos, partyOrg{id: id, kind: kind, owner: owner, area: areaIdx, founded: founded, members: members})
	i := len(g.pos) - 1
	if evaluated {
		g.evaluated = append(g.evaluated, i)
	}
	return i
}

// ownPartyOrg gives organisation i its own party organisation, founded on the given day,
// with a secretary and party workers.
func (g *gen) ownPartyOrg(i int, founded time.Time) int {
	o := &g.orgs[i]
	kind, suffix := "BRANCH", "支部委员会"
	switch {
	case int(o.members) >= g.rules.CommitteeMinMembers:
		kind, suffix = "COMMITTEE", "委员会"
	case int(o.members) >= g.rules.GeneralBranchMinMembers:
		kind, suffix = "GENERAL_BRANCH", "总支部委员会"
	}
	po := g.addPartyOrg(kind, "中共"+o.name+suffix, founded, int(o.members), i, int(o.area), true)
	o.po, o.cover = int32(po), coverOwn
	g.rel("HAS_PARTY_ORG", o.id, g.pos[po].id, g.tie(founded, time.Time{}))
	workers := 0
	if kind != "BRANCH" {
		workers = g.intIn(1, 2)
	} else if g.chance(0.4) {
		workers = 1
	}
	g.staff(i, founded, workers)
	return po
}

// staff adds a secretary (sometimes with an ended predecessor) and party workers at
// organisation i.
func (g *gen) staff(i int, founded time.Time, workers int) {
	o := &g.orgs[i]
	record := o.copy <= 0
	since := later(founded, o.registered)
	if since.Before(day(2021, 1, 1)) && g.chance(0.1) {
		change := g.between(since.AddDate(1, 0, 0), day(2023, 6, 30))
		old := g.person(0.65, 1, 1958, 1985)
		g.rel("WORKS_AT", old, o.id, g.tie(since, change, "role", "SECRETARY"))
		since = change
	}
	sec := g.person(0.65, 1, 1960, 1992)
	g.rel("WORKS_AT", sec, o.id, g.tie(since, time.Time{}, "role", "SECRETARY"))
	if record {
		g.secretaries0 = append(g.secretaries0, worker{sec, i})
	}
	for k := 0; k < workers; k++ {
		pw := g.person(0.5, 0.92, 1975, 1998)
		g.rel("WORKS_AT", pw, o.id, g.tie(g.between(since, day(2023, 6, 30)), time.Time{}, "role", "PARTY_WORKER"))
		if record {
			g.workers0 = append(g.workers0, worker{pw, i})
		}
	}
}

// ended returns an end day at least minDays after since and by lastTie, or false when there
// is no room for one.
func (g *gen) ended(since time.Time, minDays int) (time.Time, bool) {
	from := since.AddDate(0, 0, minDays)
	if from.After(lastTie) {
		return time.Time{}, false
	}
	return g.between(from, lastTie), true
}

func (g *gen) buildCoverage(c int) {
	lo, hi := g.copyRange[c][0], g.copyRange[c][1]
	minMembers := g.rules.OwnOrgMinMembers

	// own party organisations
	var own []int
	for i := lo; i < hi; i++ {
		o := &g.orgs[i]
		if int(o.members) >= minMembers && !o.registered.After(day(2022, 9, 1)) && g.chance(0.95) {
			own = append(own, i)
		}
	}
	isHelped := make([]bool, hi-lo)
	if c == 0 {
		var cand []int
		for _, i := range own {
			o := &g.orgs[i]
			if int(o.members) < g.rules.GeneralBranchMinMembers && o.registered.Before(day(2020, 1, 1)) && o.headcount >= 10 && o.operating {
				cand = append(cand, i)
			}
		}
		g.rng.Shuffle(len(cand), func(a, b int) { cand[a], cand[b] = cand[b], cand[a] })
		g.helped = append(g.helped, cand[:16]...)
		for _, i := range g.helped {
			isHelped[i-lo] = true
		}
	}
	for _, i := range own {
		o := &g.orgs[i]
		var founded time.Time
		if isHelped[i-lo] {
			founded = g.between(day(2021, 7, 1), lastFound)
		} else {
			founded = g.between(later(day(2008, 1, 1), o.registered.AddDate(0, 0, 60)), lastFound)
		}
		g.ownPartyOrg(i, founded)
	}

	// joint branches of small organisations, per subdistrict or town
	if g.jbCount == nil {
		g.jbCount = make([]int, len(g.areas))
	}
	perArea := make([][]int, len(g.areas))
	for i := lo; i < hi; i++ {
		o := &g.orgs[i]
		if o.po >= 0 || o.park >= 0 || o.area < 0 {
			continue
		}
		m := o.members
		if (m >= 1 && m <= 2 && g.chance(0.5)) || (int(m) >= minMembers && g.chance(0.3)) || (m == 0 && o.headcount >= 10 && g.chance(0.015)) {
			perArea[o.area] = append(perArea[o.area], i)
		}
	}
	jbs := make([][]int, len(g.areas))
	for a, list := range perArea {
		g.rng.Shuffle(len(list), func(x, y int) { list[x], list[y] = list[y], list[x] })
		for k := 0; k+3 <= len(list); {
			size := min(g.intIn(3, 10), len(list)-k)
			if po := g.jointBranch(a, list[k:k+size]); po >= 0 {
				jbs[a] = append(jbs[a], po)
			}
			k += size
		}
	}
	// some own organisations were covered by a joint branch before founding their own
	for _, i := range own {
		o := &g.orgs[i]
		f := g.pos[o.po].founded
		if f.Before(day(2016, 1, 1)) || !g.chance(0.15) {
			continue
		}
		var cand []int
		for _, p := range jbs[o.area] {
			if g.pos[p].founded.Before(f.AddDate(0, 0, -180)) {
				cand = append(cand, p)
			}
		}
		if len(cand) == 0 {
			continue
		}
		p := cand[g.rng.IntN(len(cand))]
		since := later(g.pos[p].founded, o.registered.AddDate(0, 0, 30))
		if since.Before(f) {
			g.rel("COVERED_BY", o.id, g.pos[p].id, g.tie(since, f, "mode", "JOINT"))
		}
	}

	// regional and industry coverage
	for i := lo; i < hi; i++ {
		o := &g.orgs[i]
		if o.cover != coverNone {
			continue
		}
		po, p := -1, 0.0
		if o.park >= 0 {
			po, p = g.regionalPO[g.parkCommittees[o.park]], 0.40
		} else if o.comm >= 0 {
			if x, ok := g.regionalPO[int(o.comm)]; ok {
				po, p = x, 0.45
			}
		}
		if po >= 0 && g.chance(p) {
			since := g.between(later(g.pos[po].founded, o.registered.AddDate(0, 0, 30)), lastTie)
			var until time.Time
			ok := false
			if g.chance(0.06) {
				until, ok = g.ended(since, 180)
			}
			g.rel("COVERED_BY", o.id, g.pos[po].id, g.tie(since, until, "mode", "REGIONAL"))
			if !ok {
				o.cover = coverRegional
			}
			continue
		}
		if o.ind >= 0 && g.industries[o.ind].leading && g.chance(0.18) {
			since := g.between(later(day(2023, 4, 1), o.registered.AddDate(0, 0, 30)), lastTie)
			g.rel("COVERED_BY", o.id, g.pos[g.industryPO[o.ind]].id, g.tie(since, time.Time{}, "mode", "INDUSTRY"))
			o.cover = coverIndustry
		}
	}

	// instructors and liaisons, spread over the areas by organisation count
	count := make([]int, len(g.areas))
	for i := lo; i < hi; i++ {
		count[g.orgs[i].area]++
	}
	instructors := g.staffers(count, hi-lo, instructorsPerCopy, func() string { return g.person(0.65, 1, 1955, 1985) })
	liaisons := g.staffers(count, hi-lo, liaisonsPerCopy, func() string { return g.person(0.5, 0.85, 1970, 1998) })
	var all []*staffer
	for _, list := range instructors {
		all = append(all, list...)
	}
	g.instructors = append(g.instructors, all)
	for i := lo; i < hi; i++ {
		o := &g.orgs[i]
		p := 0.68
		if o.cover != coverNone {
			p = 0.12
		}
		if g.chance(p) {
			g.assign(i, instructors[o.area], "INSTRUCTOR")
		}
	}
	for i := lo; i < hi; i++ {
		o := &g.orgs[i]
		p := 0.04
		if o.cover == coverNone && !o.work {
			p = 0.25
		}
		if g.chance(p) {
			g.assign(i, liaisons[o.area], "LIAISON")
		}
	}
}

// staffers creates about total persons spread over the areas by organisation count (at
// least two per area with organisations).
func (g *gen) staffers(count []int, orgs, total int, newPerson func() string) [][]*staffer {
	out := make([][]*staffer, len(count))
	for a, n := range count {
		if n == 0 {
			continue
		}
		k := max(2, int(math.Round(float64(total)*float64(n)/float64(orgs))))
		for j := 0; j < k; j++ {
			out[a] = append(out[a], &staffer{id: newPerson(), area: a})
		}
	}
	return out
}

// assign adds an ASSIGNED_TO tie from one of the staffers to organisation i; 10% of them
// ended, and 60% of those were handed over to another staffer.
func (g *gen) assign(i int, pool []*staffer, role string) {
	o := &g.orgs[i]
	s := pool[g.rng.IntN(len(pool))]
	since := g.between(later(day(2015, 1, 1), o.registered.AddDate(0, 0, 30)), lastTie)
	if g.chance(0.10) {
		if until, ok := g.ended(since, 180); ok {
			g.rel("ASSIGNED_TO", s.id, o.id, g.tie(since, until, "role", role))
			if !g.chance(0.6) {
				return
			}
			s = pool[g.rng.IntN(len(pool))]
			since = until
		}
	}
	g.rel("ASSIGNED_TO", s.id, o.id, g.tie(since, time.Time{}, "role", role))
	s.orgs = append(s.orgs, i)
	o.work = true
}

// jointBranch creates a joint branch covering the organisations of group, or returns -1
// when they have fewer than three full members together.
func (g *gen) jointBranch(a int, group []int) int {
	sum := 0
	for _, i := range group {
		sum += int(g.orgs[i].members)
	}
	if sum < g.rules.OwnOrgMinMembers {
		return -1
	}
	g.jbCount[a]++
	founded := g.between(day(2012, 1, 1), lastFound)
	name := fmt.Sprintf("中共宣州区%s非公企业第%d联合支部委员会", g.areas[a].name, g.jbCount[a])
	po := g.addPartyOrg("JOINT_BRANCH", name, founded, sum, -1, a, true)
	for _, i := range group {
		o := &g.orgs[i]
		since := later(founded, o.registered.AddDate(0, 0, 30))
		var until time.Time
		ok := false
		if g.chance(0.08) {
			until, ok = g.ended(since, 365)
		}
		g.rel("COVERED_BY", o.id, g.pos[po].id, g.tie(since, until, "mode", "JOINT"))
		if !ok {
			o.cover = coverJoint
		}
	}
	g.staff(group[0], founded, 0)
	return po
}
