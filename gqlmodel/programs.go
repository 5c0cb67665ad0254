package gqlmodel

import (
	"cmp"
	"context"
	"slices"
	"time"

	"cobuild"
	"cobuild/loaders"
)

// Programs are the programmes on a day.
type Programs struct {
	AsOf                            time.Time
	MentorCount, InstructorMentors  int
	Recruits, Apprentices, Seconded int
	DeltaTrainingPersonTimes        int
	Certification                   *CertificationFunnel
	MassBranches                    *MassBranchFollowUp
	mentors                         []cobuild.MentorRow
}

// MentorLoad is a mentor with the number of mentees and their organisations' tiers.
type MentorLoad struct {
	Mentor      *cobuild.Person
	Mentees     int
	MenteeTiers []*TierCount
}

// CertificationFunnel is the red-leader review and certification.
type CertificationFunnel struct {
	Reviewed, Certified int
	Rate                *float64
	ByIndustry, ByPark  []*FunnelGroup
}

// FunnelGroup is the funnel of one industry or park.
type FunnelGroup struct {
	Key                 *GroupKey
	Reviewed, Certified int
	Rate                *float64
}

// MassBranchFollowUp is what followed the mass-organisation branches.
type MassBranchFollowUp struct {
	Formed, Recommended, HelpedForm int
	Followed                        []*BranchFollowed
	MeanDelayDays, MedianDelayDays  *float64
}

// BranchFollowed is a branch and a party organisation it helped form.
type BranchFollowed struct {
	cobuild.BranchFollowed
	DelayDays *int
}

// Branch loads the branch.
func (b *BranchFollowed) Branch(ctx context.Context) (*cobuild.MassBranch, error) {
	return mustNode[*cobuild.MassBranch](ctx, b.BranchID)
}

// PartyOrganization loads the party organisation.
func (b *BranchFollowed) PartyOrganization(ctx context.Context) (*cobuild.PartyOrg, error) {
	return mustNode[*cobuild.PartyOrg](ctx, b.PartyOrgID)
}

// mustNode loads a node that must exist: a missing one is NOT_FOUND.
func mustNode[T comparable](ctx context.Context, id string) (T, error) {
	var zero T
	v, err := loaders.Node[T](ctx, id)
	if err == nil && v == zero {
		err = cobuild.Errorf(cobuild.ENOTFOUND, "%s not found", id)
	}
	return v, err
}

func rate(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// NewPrograms reads the programmes on a day.
func NewPrograms(ctx context.Context, asOf *time.Time) (*Programs, error) {
	day := DayOr(asOf)
	r := loaders.For(ctx).Reader()
	p := &Programs{AsOf: day}
	mentors, err := r.Mentors(ctx, day)
	if err != nil {
		return nil, err
	}
	p.mentors, p.MentorCount = mentors, len(mentors)
	for _, m := range mentors {
		if m.Instructor {
			p.InstructorMentors++
		}
	}
	for _, c := range []struct {
		n    *int
		role string
	}{{&p.Recruits, "RECRUIT"}, {&p.Apprentices, "APPRENTICE"}, {&p.Seconded, "SECONDED"}} {
		if *c.n, err = r.CountPeople(ctx, cobuild.PersonFilter{Roles: []string{c.role}, AsOf: day}); err != nil {
			return nil, err
		}
	}
	totals, err := r.EventTotals(ctx, cobuild.EventFilter{Kinds: []string{"DELTA_TRAINING"}, To: &day})
	if err != nil {
		return nil, err
	}
	p.DeltaTrainingPersonTimes = totals.Attendance
	if p.Certification, err = certificationFunnel(ctx); err != nil {
		return nil, err
	}
	if p.MassBranches, err = massBranchFollowUp(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Mentors ranks the mentors by their mentees, with the tiers of the mentees' party
// organisations' newest evaluations.
func (p *Programs) Mentors(ctx context.Context, first *int) ([]*MentorLoad, error) {
	n, err := Bounded("first", first, 20, 0, 500)
	if err != nil {
		return nil, err
	}
	rows := p.mentors[:min(n, len(p.mentors))]
	var pos []string
	for _, m := range rows {
		pos = append(pos, m.MenteePartyOrgs...)
	}
	l := loaders.For(ctx)
	latest, err := l.Reader().LatestEvaluations(ctx, pos)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i, m := range rows {
		ids[i] = m.PersonID
	}
	people, err := loaders.Nodes[*cobuild.Person](ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*MentorLoad, 0, len(rows))
	for i, m := range rows {
		person := people[i]
		count := map[cobuild.Tier]int{}
		for _, po := range m.MenteePartyOrgs {
			if e := latest[po]; e != nil {
				if t, err := l.Settings().Rules.TierOf(e.Score); err == nil {
					count[t]++
				}
			}
		}
		out = append(out, &MentorLoad{Mentor: person, Mentees: m.Mentees, MenteeTiers: tierCounts(count)})
	}
	return out, nil
}

func tierCounts(count map[cobuild.Tier]int) []*TierCount {
	out := make([]*TierCount, 0, len(tiers))
	for _, t := range tiers {
		out = append(out, &TierCount{Tier: t, Label: cobuild.Label("Tier", string(t)), Count: count[t]})
	}
	return out
}

func certificationFunnel(ctx context.Context) (*CertificationFunnel, error) {
	r := loaders.For(ctx).Reader()
	rows, err := r.CertificationRows(ctx)
	if err != nil {
		return nil, err
	}
	names, err := hubNames(ctx, "Area", "Industry")
	if err != nil {
		return nil, err
	}
	f := &CertificationFunnel{}
	byIndustry, byPark := map[string]*FunnelGroup{}, map[string]*FunnelGroup{}
	add := func(groups map[string]*FunnelGroup, dim, v string, certified bool) {
		g, ok := groups[v]
		if !ok {
			g = &FunnelGroup{Key: keyOf(dim, v, names)}
			groups[v] = g
		}
		g.Reviewed++
		if certified {
			g.Certified++
		}
	}
	for _, c := range rows {
		f.Reviewed++
		if c.Certified {
			f.Certified++
		}
		add(byIndustry, ByIndustry, c.IndustryID, c.Certified)
		add(byPark, ByPark, c.ParkID, c.Certified)
	}
	f.Rate = rate(f.Certified, f.Reviewed)
	list := func(groups map[string]*FunnelGroup) []*FunnelGroup {
		out := make([]*FunnelGroup, 0, len(groups))
		for _, g := range groups {
			g.Rate = rate(g.Certified, g.Reviewed)
			out = append(out, g)
		}
		slices.SortFunc(out, func(a, b *FunnelGroup) int {
			return cmp.Or(cmp.Compare(b.Reviewed, a.Reviewed), cmp.Compare(a.Key.Label, b.Key.Label))
		})
		return out
	}
	f.ByIndustry, f.ByPark = list(byIndustry), list(byPark)
	return f, nil
}

func massBranchFollowUp(ctx context.Context) (*MassBranchFollowUp, error) {
	facts, err := loaders.For(ctx).Reader().MassBranchFacts(ctx)
	if err != nil {
		return nil, err
	}
	out := &MassBranchFollowUp{Formed: facts.Formed, Recommended: facts.Recommended, HelpedForm: len(facts.Followed),
		Followed: []*BranchFollowed{}}
	var delays []int
	for _, f := range facts.Followed {
		b := &BranchFollowed{BranchFollowed: f}
		if f.FormedOn != nil && f.FoundedOn != nil {
			d := int(f.FoundedOn.Sub(*f.FormedOn).Hours() / 24)
			b.DelayDays = &d
			delays = append(delays, d)
		}
		out.Followed = append(out.Followed, b)
	}
	if len(delays) > 0 {
		sum := 0
		for _, d := range delays {
			sum += d
		}
		mean := float64(sum) / float64(len(delays))
		slices.Sort(delays)
		median := float64(delays[len(delays)/2])
		if len(delays)%2 == 0 {
			median = float64(delays[len(delays)/2-1]+delays[len(delays)/2]) / 2
		}
		out.MeanDelayDays, out.MedianDelayDays = &mean, &median
	}
	return out, nil
}
