package demo

import (
	"fmt"
	"slices"
	"time"

	"cobuild"
)

// buildFigures adds every figure-bearing structure of docs/domain.md, attached to the named
// organisations and to organisations of the first copy.
func (g *gen) buildFigures() {
	g.workingCommitteeMembers()
	hosts := g.massBranches()
	g.agreements()
	g.redZones()
	g.hospitalAllianceFigures()
	members := g.leadingIndustryAlliances()
	g.talent(members)
	g.demoSites(hosts)
	g.partyMassMeetings(hosts)
}

// firstCopy returns the organisations of copy 0 and the named ones that satisfy keep.
func (g *gen) firstCopy(keep func(o *org) bool) []int {
	var out []int
	named := []int{g.named.luxshare, g.named.menovo, g.named.xuanjiu, g.named.renjie}
	for _, i := range named {
		if keep(&g.orgs[i]) {
			out = append(out, i)
		}
	}
	for i := g.copyRange[0][0]; i < g.copyRange[0][1]; i++ {
		if keep(&g.orgs[i]) {
			out = append(out, i)
		}
	}
	return out
}

// take shuffles list and returns its first n elements; it panics when list is too short,
// which would be a bug of the generator, not of its input.
func (g *gen) take(list []int, n int) []int {
	if len(list) < n {
		panic(fmt.Sprintf("demo: need %d candidates, have %d", n, len(list)))
	}
	l := slices.Clone(list)
	g.rng.Shuffle(len(l), func(a, b int) { l[a], l[b] = l[b], l[a] })
	return l[:n]
}

func (g *gen) workingCommitteeMembers() {
	for _, i := range g.deptOrder {
		role, since := "MEMBER", day(2016, 6, 1)
		if g.orgs[i].name == "区委组织部" {
			role = "CHAIR"
		}
		if g.orgs[i].park >= 0 {
			since = day(2019, 3, 1)
		}
		g.rel("MEMBER_OF", g.orgs[i].id, g.workingCommittee, g.tie(since, time.Time{}, "role", role))
	}
	for _, i := range g.massOrgs {
		g.rel("MEMBER_OF", g.orgs[i].id, g.workingCommittee, g.tie(day(2023, 2, 20), time.Time{}, "role", "MEMBER"))
	}
}

type massHost struct {
	org    int
	formed time.Time
}

// massBranches adds the 102 mass branches, 16 of which helped form a party organisation,
// and the 52 recommendations.
func (g *gen) massBranches() []massHost {
	kinds := make([]int, 0, 102)
	for k, n := range []int{50, 30, 22} {
		for j := 0; j < n; j++ {
			kinds = append(kinds, k)
		}
	}
	g.rng.Shuffle(len(kinds), func(a, b int) { kinds[a], kinds[b] = kinds[b], kinds[a] })
	others := g.take(g.firstCopy(func(o *org) bool { return o.copy == 0 && o.po < 0 && o.headcount >= 10 && o.operating }), 102-len(g.helped))
	hosts := append(slices.Clone(g.helped), others...)
	kindNames := []string{"UNION", "YOUTH_LEAGUE", "WOMENS_FEDERATION"}
	var out []massHost
	var branchIDs []string
	for j, oi := range hosts {
		o := &g.orgs[oi]
		var formed time.Time
		if j < len(g.helped) {
			formed = g.between(later(day(2021, 1, 1), o.registered.AddDate(0, 0, 30)), g.pos[o.po].founded.AddDate(0, 0, -90))
		} else {
			formed = g.between(later(day(2021, 1, 1), o.registered.AddDate(0, 0, 30)), lastTie)
		}
		var name string
		switch kinds[j] {
		case 0:
			name = o.name + "工会委员会"
		case 1:
			name = "共青团" + o.name + "支部委员会"
		default:
			name = o.name + "妇女联合会"
		}
		id := g.node("mb", g.single["MassBranch"], map[string]any{"name": name, "kind": kindNames[kinds[j]], "formedOn": g.dv(formed)})
		g.rel("FORMED_IN", id, o.id, g.tie(formed, time.Time{}))
		g.rel("BRANCH_OF", id, g.orgs[g.massOrgs[kinds[j]]].id, nil)
		if j < len(g.helped) {
			g.rel("HELPED_FORM", id, g.pos[o.po].id, nil)
		}
		o.work = true
		out = append(out, massHost{oi, formed})
		branchIDs = append(branchIDs, id)
	}
	// 52 recommendations: one from each branch that helped form a party organisation, 36
	// more from branches drawn at random
	count := make([]int, len(hosts))
	for j := range g.helped {
		count[j] = 1
	}
	for k := 0; k < 52-len(g.helped); k++ {
		count[g.rng.IntN(len(hosts))]++
	}
	for j, h := range out {
		o := &g.orgs[h.org]
		for r := 0; r < count[j]; r++ {
			helped := j < len(g.helped)
			member := 0.5
			if helped {
				member = 1
			}
			p := g.person(0.5, member, 1990, 2001)
			g.rel("WORKS_AT", p, o.id, g.tie(g.between(later(day(2015, 1, 1), o.registered), h.formed), time.Time{}, "role", "STAFF"))
			var on time.Time
			if helped {
				on = g.between(h.formed.AddDate(0, 0, 30), g.pos[o.po].founded.AddDate(0, 0, -1))
			} else {
				on = g.between(h.formed.AddDate(0, 0, 14), today)
			}
			g.rel("RECOMMENDED", branchIDs[j], p, map[string]any{"on": g.dv(on)})
		}
	}
	return out
}

func (g *gen) agreements() {
	type agreement struct {
		name       string
		home, away int
		park       int
		signed     time.Time
		events     []time.Time
	}
	list := []agreement{
		{"宣城高新区—上海松江区党建共建协议", g.parks[0], g.songjiang, 0, day(2023, 4, 18), []time.Time{day(2023, 6, 16), day(2023, 9, 8)}},
		{"宣州经开区—高淳开发区党建共建协议", g.parks[1], g.gaochun, 1, day(2023, 5, 26), []time.Time{day(2023, 7, 7), day(2023, 9, 22)}},
	}
	named := []int{g.named.menovo, g.named.luxshare}
	for _, a := range list {
		id := g.node("ag", g.single["Agreement"], map[string]any{"name": a.name, "kind": "PARK_CO_BUILDING", "signedOn": g.dv(a.signed)})
		g.rel("PARTY_TO", g.areas[a.home].id, id, g.tie(a.signed, time.Time{}))
		g.rel("PARTY_TO", g.areas[a.away].id, id, g.tie(a.signed, time.Time{}))
		cand := g.firstCopy(func(o *org) bool {
			return o.copy == 0 && int(o.park) == a.park && (o.above || o.po >= 0) && o.operating
		})
		for k, d := range a.events {
			ev, ei := g.event("PARK_EXCHANGE", fmt.Sprintf("“党建互学、党员互比、发展互促”交流活动（%s 第%d场）", g.areas[a.home].name+"—"+g.areas[a.away].name, k+1), d, -1, g.intIn(3, 5))
			g.rel("HELD", id, ev, nil)
			g.attend(g.orgs[named[a.park]].id, ev, ei)
			for _, i := range g.take(cand, min(len(cand), g.intIn(5, 9))) {
				g.attend(g.orgs[i].id, ev, ei)
			}
		}
	}
}

func (g *gen) redZones() {
	zones := []struct{ name, kind, dept string }{
		{"宣城万达广场红色商圈", "BUSINESS_CIRCLE", "区商务局"},
		{"梅园路红色商圈", "BUSINESS_CIRCLE", "区商务局"},
		{"叠嶂路“小个专”红色街区", "BLOCK", "区市场监管局"},
		{"鳌峰路“小个专”红色街区", "BLOCK", "区市场监管局"},
		{"昭亭路“小个专”红色街区", "BLOCK", "区市场监管局"},
	}
	var subCommunities []int
	for _, a := range g.subdistricts {
		subCommunities = append(subCommunities, g.areas[a].communities...)
	}
	hosts := g.take(subCommunities[1:], len(zones)) // 城东社区 is busy with the hospital alliance
	for k, z := range zones {
		founded := g.between(day(2022, 3, 1), day(2023, 6, 30))
		id := g.node("rz", g.single["RedZone"], map[string]any{"name": z.name, "kind": z.kind, "foundedOn": g.dv(founded)})
		comm := hosts[k]
		g.rel("MEMBER_OF", g.orgs[comm].id, id, g.tie(founded, time.Time{}, "role", "CHAIR"))
		g.rel("MEMBER_OF", g.orgs[g.departments[z.dept]].id, id, g.tie(founded, time.Time{}, "role", "COUNCIL"))
		firms := g.firstCopy(func(o *org) bool {
			return o.copy == 0 && int(o.comm) == comm && o.kind == cobuild.OrgEnterprise && o.headcount < 100 && !o.above
		})
		for _, i := range g.take(firms, min(len(firms), g.intIn(12, 30))) {
			o := &g.orgs[i]
			since := later(g.between(founded, founded.AddDate(0, 0, 120)), o.registered.AddDate(0, 0, 30))
			var until time.Time
			if g.chance(0.08) {
				until, _ = g.ended(since, 90)
			}
			g.rel("MEMBER_OF", o.id, id, g.tie(since, until, "role", "MEMBER"))
			if g.chance(0.5) {
				g.rel("CO_BUILDS_WITH", o.id, g.orgs[comm].id, g.tie(since, until, "mode", "SHEQI"))
			}
		}
	}
}

func (g *gen) hospitalAllianceFigures() {
	founded := day(2022, 5, 12)
	ha := g.hospitalAlliance
	chengdong, renjie := g.named.chengdong, g.named.renjie
	g.rel("MEMBER_OF", g.orgs[chengdong].id, ha, g.tie(founded, time.Time{}, "role", "COUNCIL"))
	g.rel("MEMBER_OF", g.orgs[renjie].id, ha, g.tie(founded, time.Time{}, "role", "COUNCIL"))
	g.rel("CO_BUILDS_WITH", g.orgs[renjie].id, g.orgs[chengdong].id, g.tie(founded, time.Time{}, "mode", "SHUANGSHE"))
	hospitals := g.firstCopy(func(o *org) bool { return o.copy == 0 && o.kind == cobuild.OrgHospital })
	var hospitalCommunities []int
	for _, i := range hospitals {
		o := &g.orgs[i]
		since := later(g.between(founded, day(2023, 6, 30)), o.registered.AddDate(0, 0, 30))
		g.rel("MEMBER_OF", o.id, ha, g.tie(since, time.Time{}, "role", "MEMBER"))
		if o.comm >= 0 && int(o.comm) != chengdong && !slices.Contains(hospitalCommunities, int(o.comm)) {
			hospitalCommunities = append(hospitalCommunities, int(o.comm))
		}
	}
	for len(hospitalCommunities) < 2 {
		hospitalCommunities = append(hospitalCommunities, g.communities[1+len(hospitalCommunities)])
	}
	// the five community joint meetings the alliance attended
	meetings := []struct {
		host int
		date time.Time
	}{
		{chengdong, day(2022, 8, 18)}, {hospitalCommunities[0], day(2022, 12, 16)}, {chengdong, day(2023, 3, 17)},
		{hospitalCommunities[1], day(2023, 6, 21)}, {chengdong, day(2023, 9, 15)},
	}
	for _, m := range meetings {
		ev, ei := g.event("COMMUNITY_JOINT_MEETING", fmt.Sprintf("%s党建联席会议（%d年%d月）", g.orgs[m.host].name, m.date.Year(), m.date.Month()), m.date, g.intIn(18, 40), 0)
		g.rel("HELD", g.orgs[m.host].id, ev, nil)
		g.attend(ha, ev, ei)
		g.attend(g.orgs[renjie].id, ev, ei)
		for _, i := range g.take(hospitals, min(len(hospitals), g.intIn(1, 3))) {
			g.attend(g.orgs[i].id, ev, ei)
		}
	}
	// epidemic control and vaccination: 112 person-times in all
	service := []struct {
		name        string
		host        int
		date        time.Time
		personTimes int
	}{
		{"新冠疫苗接种志愿服务", chengdong, day(2021, 4, 10), 26},
		{"新冠疫苗加强针接种服务", chengdong, day(2021, 8, 5), 22},
		{"社区疫情防控志愿服务", hospitalCommunities[0], day(2022, 3, 20), 20},
		{"核酸检测采样志愿服务", chengdong, day(2022, 4, 15), 18},
		{"社区疫情防控志愿服务", hospitalCommunities[1], day(2022, 10, 8), 14},
		{"老年人疫苗接种上门服务", chengdong, day(2022, 12, 10), 12},
	}
	for _, s := range service {
		ev, ei := g.event("EPIDEMIC_SERVICE", g.orgs[s.host].name+s.name, s.date, s.personTimes, 0)
		g.rel("HELD", g.orgs[s.host].id, ev, nil)
		g.attend(ha, ev, ei)
	}
}

type membership struct {
	org          int
	since, until time.Time
}

// leadingIndustryAlliances adds the members and events of the three industry committees and
// three cluster alliances; it returns the 96 above-scale members.
func (g *gen) leadingIndustryAlliances() []int {
	forced := g.take(g.forced[0], forcedLeadingAbove)
	members := forced[:leadingMembers]
	var com, clu [3][]int
	for _, i := range members {
		ind := g.orgs[i].ind
		switch r := g.rng.Float64(); {
		case r < 0.45:
			com[ind] = append(com[ind], i)
			clu[ind] = append(clu[ind], i)
		case r < 0.75:
			com[ind] = append(com[ind], i)
		default:
			clu[ind] = append(clu[ind], i)
		}
	}
	bySize := func(list []int) []int {
		l := slices.Clone(list)
		slices.SortStableFunc(l, func(a, b int) int { return int(g.orgs[b].headcount - g.orgs[a].headcount) })
		return l
	}
	meetings := [2][3]int{{2, 2, 2}, {2, 2, 1}}
	activities := [2][3]int{{6, 5, 5}, {5, 5, 5}}
	activityNames := []string{"联合招商推介会", "疫情联防联控行动", "职工技能比武", "党建观摩交流", "产业链供需对接会", "安全生产联合检查", "人才招聘联合行动"}
	for ind := 0; ind < 3; ind++ {
		for side := 0; side < 2; side++ {
			alliance, founded, list := g.committees[ind], g.committeeFounded[ind], com[ind]
			if side == 1 {
				alliance, founded, list = g.clusters[ind], g.clusterFounded[ind], clu[ind]
			}
			if side == 0 {
				g.rel("MEMBER_OF", g.orgs[g.departments["区经信局"]].id, alliance, g.tie(founded, time.Time{}, "role", "CHAIR"))
			}
			var ms []membership
			for rank, i := range bySize(list) {
				role := "MEMBER"
				switch {
				case side == 1 && rank == 0:
					role = "CHAIR"
				case rank < 3:
					role = "COUNCIL"
				}
				since := g.between(founded, founded.AddDate(0, 0, 90))
				g.rel("MEMBER_OF", g.orgs[i].id, alliance, g.tie(since, time.Time{}, "role", role))
				ms = append(ms, membership{org: i, since: since})
			}
			small := g.firstCopy(func(o *org) bool { return o.copy == 0 && int(o.ind) == ind && !o.above && o.operating })
			for _, i := range g.take(small, g.intIn(6, 12)) {
				since := later(g.between(founded, founded.AddDate(0, 0, 150)), g.orgs[i].registered.AddDate(0, 0, 30))
				var until time.Time
				if g.chance(0.1) {
					until, _ = g.ended(since, 60)
				}
				g.rel("MEMBER_OF", g.orgs[i].id, alliance, g.tie(since, until, "role", "MEMBER"))
				ms = append(ms, membership{org: i, since: since, until: until})
			}
			name := g.industries[ind].name + "行业综合党委"
			if side == 1 {
				name = g.industries[ind].name + "产业集群党建联盟"
			}
			for k := 0; k < meetings[side][ind]+activities[side][ind]; k++ {
				kind, title := "JOINT_MEETING", name+"党建联席会议"
				if k >= meetings[side][ind] {
					kind, title = "JOINT_ACTIVITY", name+activityNames[g.rng.IntN(len(activityNames))]
				}
				date := g.between(founded.AddDate(0, 0, 30), day(2023, 10, 15))
				ev, ei := g.event(kind, fmt.Sprintf("%s（%d年%d月）", title, date.Year(), date.Month()), date, -1, g.intIn(2, 5))
				g.rel("HELD", alliance, ev, nil)
				var present []int
				for _, m := range ms {
					if !m.since.After(date) && (m.until.IsZero() || m.until.After(date)) {
						present = append(present, m.org)
					}
				}
				for _, i := range g.take(present, min(len(present), g.intIn(4, 12))) {
					g.attend(g.orgs[i].id, ev, ei)
				}
			}
		}
	}
	// Two of the firms in neither, on either side of the source day: one was a member of
	// its industry's committee until mid-2023, one joins its cluster alliance at the end of
	// 2023. Neither counts among the 96 on the day; a count that ignored the day would.
	left, joined := forced[leadingMembers], forced[leadingMembers+1]
	ind := g.orgs[left].ind
	g.rel("MEMBER_OF", g.orgs[left].id, g.committees[ind], g.tie(later(day(2022, 3, 1), g.committeeFounded[ind]), day(2023, 6, 30), "role", "MEMBER"))
	g.rel("MEMBER_OF", g.orgs[joined].id, g.clusters[g.orgs[joined].ind], g.tie(day(2023, 12, 1), time.Time{}, "role", "MEMBER"))
	return members
}

// talent adds the red-leader certifications, 政聘企培 recruits, apprentices, mentors,
// secondments and Yangtze-delta training.
func (g *gen) talent(members []int) {
	// 307 reviewed, 32 certified
	cands := slices.Clone(g.workers0)
	g.rng.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
	for len(cands) < 307+4 {
		own := g.firstCopy(func(o *org) bool { return o.po >= 0 })
		i := own[g.rng.IntN(len(own))]
		p := g.person(0.5, 0.92, 1975, 1998)
		g.rel("WORKS_AT", p, g.orgs[i].id, g.tie(g.between(g.pos[g.orgs[i].po].founded, day(2023, 6, 30)), time.Time{}, "role", "PARTY_WORKER"))
		cands = append(cands, worker{p, i})
	}
	for k, w := range cands[:307] {
		reviewed := g.between(day(2022, 6, 1), day(2023, 9, 15))
		props := map[string]any{"kind": "RED_LEADER", "status": "NOT_CERTIFIED", "reviewedOn": g.dv(reviewed)}
		if k < 32 {
			props["status"] = "CERTIFIED"
			props["certifiedOn"] = g.dv(reviewed.AddDate(0, 0, g.intIn(20, 35)))
		}
		ce := g.node("ce", g.single["Certification"], props)
		g.rel("HOLDS", w.id, ce, nil)
	}
	// four seconded to 无锡高新区
	periods := [][2]time.Time{
		{day(2022, 9, 1), day(2022, 12, 31)}, {day(2022, 9, 1), day(2022, 12, 31)},
		{day(2023, 4, 1), day(2023, 6, 30)}, {day(2023, 9, 1), day(2023, 12, 31)},
	}
	for k, p := range periods {
		g.rel("SECONDED_TO", cands[307+k].id, g.areas[g.wuxi].id, g.tie(p[0], p[1]))
	}
	// Yangtze-delta training: 157 person-times
	pool := append(slices.Clone(g.workers0), g.secretaries0...)
	training := []struct {
		place string
		date  time.Time
		n     int
	}{
		{"上海松江", day(2022, 7, 12), 40}, {"南京高淳", day(2022, 11, 8), 35}, {"杭州余杭", day(2023, 3, 21), 30},
		{"苏州工业园区", day(2023, 6, 13), 28}, {"无锡高新区", day(2023, 9, 12), 24},
	}
	for _, t := range training {
		ev, ei := g.event("DELTA_TRAINING", "长三角非公党务工作者培训班（"+t.place+"）", t.date, -1, 1)
		g.rel("HELD", g.workingCommittee, ev, nil)
		idx := make([]int, len(pool))
		for k := range idx {
			idx[k] = k
		}
		for _, k := range g.take(idx, t.n) {
			g.attend(pool[k].id, ev, ei)
		}
	}
	// 27 政聘企培 recruits placed in leading-industry above-scale firms by the source day:
	// 12 in September 2022, 15 in August 2023; and 3 more placed after the day.
	for k := 0; k < 30; k++ {
		since := day(2022, 9, 1)
		switch {
		case k >= 27:
			since = day(2023, 11, 20)
		case k >= 12:
			since = day(2023, 8, 15)
		}
		i := members[g.rng.IntN(len(members))]
		p := g.person(0.55, 0.6, 1995, 2000)
		g.rel("PLACED_AT", p, g.orgs[i].id, g.tie(since, time.Time{}))
		g.rel("WORKS_AT", p, g.orgs[i].id, g.tie(since, time.Time{}, "role", "STAFF"))
	}
	// 186 apprentices: 立讯精密 72, 美诺华药业 48, six more firms 11 each
	hostFirms := []int{g.named.luxshare, g.named.menovo}
	others := g.take(g.firstCopy(func(o *org) bool {
		return o.copy == 0 && o.above && o.ind >= 0 && g.industries[o.ind].manufacturing && o.operating
	}), 6)
	hostFirms = append(hostFirms, others...)
	// (and 5 more at 立讯精密 in the cohort of March 2024, after the source day).
	cohorts := []time.Time{day(2022, 3, 1), day(2022, 9, 1), day(2023, 3, 1), day(2023, 9, 1)}
	for h, i := range hostFirms {
		n := 11
		switch h {
		case 0:
			n = 72 + 5
		case 1:
			n = 48
		}
		for k := 0; k < n; k++ {
			school := g.named.infoSchool
			if h >= 2 {
				school = g.schools[g.pickW([]float64{50, 30, 20})]
			}
			since := cohorts[g.rng.IntN(len(cohorts))]
			if h == 0 && k >= 72 {
				since = day(2024, 3, 1)
			}
			p := g.person(0.6, 0.05, 1998, 2005)
			g.rel("WORKS_AT", p, g.orgs[i].id, g.tie(later(since.AddDate(0, 0, -g.intIn(0, 365)), g.orgs[i].registered), time.Time{}, "role", "STAFF"))
			g.rel(cobuild.ApprenticedAt, p, g.orgs[i].id, g.tie(since, time.Time{}))
			g.rel(cobuild.TrainedAt, p, g.orgs[school].id, g.tie(since, time.Time{}))
		}
	}
	// 135 instructors who mentor
	var active []int
	for k, s := range g.instructors[0] {
		if len(s.orgs) > 0 {
			active = append(active, k)
		}
	}
	for _, k := range g.take(active, 135) {
		s := g.instructors[0][k]
		var organised []int // assigned organisations with a party organisation: 双培养 happens there most
		for _, i := range s.orgs {
			if g.orgs[i].cover != coverNone {
				organised = append(organised, i)
			}
		}
		n := 1 + min(5, g.geom(1.6))
		for j := 0; j < n; j++ {
			i := s.orgs[g.rng.IntN(len(s.orgs))]
			if len(organised) > 0 && g.chance(0.7) {
				i = organised[g.rng.IntN(len(organised))]
			}
			o := &g.orgs[i]
			mentee := g.person(0.55, 0.5, 1985, 2000)
			works := g.between(later(day(2012, 1, 1), o.registered.AddDate(0, 0, 30)), day(2021, 12, 31))
			g.rel("WORKS_AT", mentee, o.id, g.tie(works, time.Time{}, "role", "STAFF"))
			since := g.between(later(day(2019, 1, 1), works), day(2023, 6, 30))
			var until time.Time
			if j > 0 && g.chance(0.12) {
				until, _ = g.ended(since, 180)
			}
			g.rel("MENTORS", s.id, mentee, g.tie(since, until))
		}
	}
}

func (g *gen) demoSites(hosts []massHost) {
	site := func(kind, name string, on time.Time, org int) string {
		id := g.node("ds", g.single["DemoSite"], map[string]any{"name": name, "kind": kind, "designatedOn": g.dv(on)})
		g.rel("DESIGNATED", g.orgs[org].id, id, g.tie(on, time.Time{}))
		return id
	}
	xuanjiu, renjie := g.named.xuanjiu, g.named.renjie
	site("PROVINCIAL", "宣酒非公党建工作省级示范点", day(2021, 7, 1), xuanjiu)
	site("PROVINCIAL", "宣城仁杰医院党建工作省级示范点", day(2022, 7, 1), renjie)
	g.designated = append(g.designated, xuanjiu, renjie)
	for _, b := range []struct {
		name, kind string
		owner      int
	}{{"四个围绕工作法", "BRAND", xuanjiu}, {"仁心向党", "BRAND", renjie}, {"宣酒红色小镇", "STUDY_ROUTE", xuanjiu}} {
		id := g.node("br", g.single["Brand"], map[string]any{"name": b.name, "kind": b.kind})
		g.rel("OWNS_BRAND", g.orgs[b.owner].id, id, nil)
	}
	// eight party–mass demonstration points in organisations with a new mass branch
	idx := make([]int, len(hosts))
	for k := range idx {
		idx[k] = k
	}
	for _, k := range g.take(idx, 8) {
		h := hosts[k]
		on := g.between(later(h.formed.AddDate(0, 0, 30), day(2023, 1, 1)), lastTie)
		site("PARTY_MASS", g.orgs[h.org].name+"党群工作示范点", on, h.org)
	}
	// two belts, 33 points
	aofeng, chengjiang, xilin, hanting := g.areaByName("鳌峰街道"), g.areaByName("澄江街道"), g.areaByName("西林街道"), g.areaByName("寒亭镇")
	belts := []struct {
		name  string
		first int
		n     int
		keep  func(o *org) bool
	}{
		{"昭亭路—高新区", g.named.menovo, 18, func(o *org) bool {
			return o.park == 0 || (o.park < 0 && (int(o.area) == aofeng || int(o.area) == chengjiang))
		}},
		{"西城区—寒亭镇", xuanjiu, 15, func(o *org) bool { return o.park < 0 && (int(o.area) == xilin || int(o.area) == hanting) }},
	}
	for _, b := range belts {
		belt := g.node("db", g.single["DemoBelt"], map[string]any{"name": b.name})
		cand := g.firstCopy(func(o *org) bool { return o.copy == 0 && o.po >= 0 && o.operating && b.keep(o) })
		orgs := append([]int{b.first}, g.take(cand, b.n-1)...)
		for _, i := range orgs {
			id := site("BELT_POINT", b.name+"示范带·"+g.orgs[i].name, g.between(day(2022, 6, 1), lastTie), i)
			g.rel("ON_BELT", id, belt, nil)
		}
		g.designated = append(g.designated, orgs...)
	}
}

// partyMassMeetings adds the working committee's party–mass work meetings.
func (g *gen) partyMassMeetings(hosts []massHost) {
	for _, d := range []time.Time{day(2023, 3, 16), day(2023, 5, 18), day(2023, 7, 20), day(2023, 9, 21)} {
		ev, ei := g.event("PARTY_MASS_MEETING", fmt.Sprintf("党群工作例会（%d年%d月）", d.Year(), d.Month()), d, g.intIn(20, 45), 0)
		g.rel("HELD", g.workingCommittee, ev, nil)
		for _, i := range g.massOrgs {
			g.attend(g.orgs[i].id, ev, ei)
		}
		g.attend(g.orgs[g.departments["区委组织部"]].id, ev, ei)
		idx := make([]int, len(hosts))
		for k := range idx {
			idx[k] = k
		}
		for _, k := range g.take(idx, g.intIn(2, 4)) {
			g.attend(g.orgs[hosts[k].org].id, ev, ei)
		}
	}
}
