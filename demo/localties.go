package demo

import (
	"fmt"
	"time"

	"cobuild"
)

// localEvents are the events of one community or park in one copy of the population.
type localEvents struct {
	ids     []string
	refs    []int
	capLast int
}

// buildLocalTies gives organisations of copy c their everyday joint-building ties: community
// joint meetings, community co-building and the parks' epidemic-service events.
func (g *gen) buildLocalTies(c int) {
	lo, hi := g.copyRange[c][0], g.copyRange[c][1]
	communityEvents := make([]localEvents, g.copyRange[0][0]) // communities are fixed organisations, created before any copy
	parkEvents := make([]localEvents, 2)
	for i := lo; i < hi; i++ {
		o := &g.orgs[i]
		p := 0.55
		switch {
		case o.cover == coverOwn:
			p = 0.85
		case o.cover != coverNone:
			p = 0.65
		case o.work:
			p = 0.60
		}
		if !g.chance(p) {
			continue
		}
		switch {
		case o.comm >= 0:
			mode, coBuild := "SHEQI", g.chance(0.3)
			if o.kind != cobuild.OrgEnterprise {
				mode, coBuild = "SHUANGSHE", g.chance(0.6)
			}
			if coBuild {
				since := g.between(later(day(2016, 1, 1), o.registered.AddDate(0, 0, 30)), lastTie)
				var until time.Time
				if g.chance(0.08) {
					until, _ = g.ended(since, 180)
				}
				g.rel("CO_BUILDS_WITH", o.id, g.orgs[o.comm].id, g.tie(since, until, "mode", mode))
			} else {
				g.attendLocal(i, int(o.comm), &communityEvents[o.comm], false)
			}
		case o.park >= 0:
			g.attendLocal(i, g.parkCommittees[o.park], &parkEvents[o.park], true)
		default:
			if cs := g.areas[o.area].communities; len(cs) > 0 {
				comm := cs[g.rng.IntN(len(cs))]
				g.attendLocal(i, comm, &communityEvents[comm], false)
			}
		}
	}
}

// attendLocal makes organisation i attend one to three events held by host, opening a new
// event when the current one is full.
func (g *gen) attendLocal(i, host int, le *localEvents, park bool) {
	if len(le.refs) == 0 || g.events[le.refs[len(le.refs)-1]].attendees >= le.capLast {
		var id string
		var ref int
		if park {
			date := g.between(day(2020, 2, 1), day(2022, 12, 15))
			id, ref = g.event("EPIDEMIC_SERVICE", fmt.Sprintf("%s疫情联防联控行动（%d年%d月）", g.areas[g.parks[g.orgs[host].park]].name, date.Year(), date.Month()), date, -1, g.intIn(2, 6))
		} else {
			date := g.between(day(2019, 1, 1), lastTie)
			id, ref = g.event("COMMUNITY_JOINT_MEETING", fmt.Sprintf("%s党建联席会议（%d年%d月）", g.orgs[host].name, date.Year(), date.Month()), date, -1, g.intIn(1, 3))
		}
		g.rel("HELD", g.orgs[host].id, id, nil)
		le.ids, le.refs, le.capLast = append(le.ids, id), append(le.refs, ref), g.intIn(15, 40)
	}
	last := len(le.refs) - 1
	g.attend(g.orgs[i].id, le.ids[last], le.refs[last])
	// sometimes one or two earlier events too
	if last > 0 && g.chance(0.3) {
		k := g.rng.IntN(last)
		g.attend(g.orgs[i].id, le.ids[k], le.refs[k])
		if last > 1 && g.chance(0.3) {
			k = (k + 1 + g.rng.IntN(last-1)) % last
			g.attend(g.orgs[i].id, le.ids[k], le.refs[k])
		}
	}
}
