package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"cobuild"
)

// The plan: before a resolver reads nodes, it looks at what the operation asks of them
// (the selection below its field) and turns every field that follows a tie into a
// cobuild.Fetch, recursively, so that the statement that reads the nodes returns their
// ties and the nodes at the other ends too. The field resolvers then find what they need
// in the request's loaders. A field the plan does not know is read by its resolver, one
// batched statement per field and level.

// tieSpec is how a field follows ties: the tie type and direction, whether it takes the
// field's asOf (default today) or holds on any day, the GraphQL type of the nodes at the
// other end, and which child fields of the field's type describe those nodes (none: the
// field's own selection does). A field resolver and its plan use the same spec, so the
// ties the plan fetches are those the resolver asks for.
type tieSpec struct {
	typ   cobuild.TieType
	dir   cobuild.Direction
	dated bool
	far   string
	via   []string
}

// query is the tie query of the spec on a day (ignored when the spec is not dated).
func (s tieSpec) query(day time.Time) cobuild.TieQuery {
	q := cobuild.TieQuery{Type: s.typ, Dir: s.dir}
	if s.dated {
		d := day
		q.AsOf = &d
	}
	return q
}

// follow reads the ties of a spec from a node on a day.
func (r *Resolver) follow(ctx context.Context, s tieSpec, id string, asOf *time.Time) ([]cobuild.Neighbour, error) {
	return r.loaders(ctx).Ties(ctx, s.query(r.day(ctx, asOf)), id)
}

// The specs of the fields that follow ties, by the type that has the field.
var (
	orgArea          = tieSpec{cobuild.LocatedIn, cobuild.Out, false, "Area", nil}
	orgPark          = tieSpec{cobuild.InPark, cobuild.Out, false, "Area", nil}
	orgCommunity     = tieSpec{cobuild.InCommunity, cobuild.Out, false, "Community", nil}
	orgIndustry      = tieSpec{cobuild.InIndustry, cobuild.Out, false, "Industry", nil}
	orgPartyOrgs     = tieSpec{cobuild.HasPartyOrg, cobuild.Out, true, "PartyOrganization", []string{"partyOrganization"}}
	orgCoveredBy     = tieSpec{cobuild.CoveredBy, cobuild.Out, true, "PartyOrganization", []string{"partyOrganization"}}
	orgMemberships   = tieSpec{cobuild.MemberOf, cobuild.Out, true, "Hub", []string{"hub"}}
	orgCoBuilds      = tieSpec{cobuild.CoBuildsWith, cobuild.Both, true, "Organization", []string{"organization", "community"}}
	orgHeld          = tieSpec{cobuild.Held, cobuild.Out, false, "Event", nil}
	orgAttended      = tieSpec{cobuild.Attended, cobuild.Out, false, "Event", nil}
	orgMassBranches  = tieSpec{cobuild.FormedIn, cobuild.In, false, "MassBranch", nil}
	orgDemoSites     = tieSpec{cobuild.Designated, cobuild.Out, false, "DemoSite", nil}
	orgBrands        = tieSpec{cobuild.OwnsBrand, cobuild.Out, false, "Brand", nil}
	massOrgBranches  = tieSpec{cobuild.BranchOf, cobuild.In, false, "MassBranch", nil}
	partyOwner       = tieSpec{cobuild.HasPartyOrg, cobuild.In, false, "Organization", nil}
	partyAlliance    = tieSpec{cobuild.HasPartyOrg, cobuild.In, false, "Alliance", nil}
	partyCovers      = tieSpec{cobuild.CoveredBy, cobuild.In, true, "Organization", []string{"organization"}}
	partyEvaluations = tieSpec{cobuild.Evaluated, cobuild.Out, false, "Evaluation", nil}
	partyHelpedBy    = tieSpec{cobuild.HelpedForm, cobuild.In, false, "MassBranch", nil}
	evaluationOf     = tieSpec{cobuild.Evaluated, cobuild.In, false, "PartyOrganization", nil}
	hubMemberships   = tieSpec{cobuild.MemberOf, cobuild.In, true, "Organization", []string{"organization"}}
	hubPartyOrg      = tieSpec{cobuild.HasPartyOrg, cobuild.Out, false, "PartyOrganization", nil}
	hubIndustry      = tieSpec{cobuild.InIndustry, cobuild.Out, false, "Industry", nil}
	hubHeld          = tieSpec{cobuild.Held, cobuild.Out, false, "Event", nil}
	hubAttended      = tieSpec{cobuild.Attended, cobuild.Out, false, "Event", nil}
	agreementParties = tieSpec{cobuild.PartyTo, cobuild.In, false, "Area", nil}
	areaAgreements   = tieSpec{cobuild.PartyTo, cobuild.Out, false, "Agreement", nil}
	brandOwners      = tieSpec{cobuild.OwnsBrand, cobuild.In, false, "Organization", nil}
	beltSites        = tieSpec{cobuild.OnBelt, cobuild.In, false, "DemoSite", nil}
	siteOrgs         = tieSpec{cobuild.Designated, cobuild.In, false, "Organization", nil}
	siteBelt         = tieSpec{cobuild.OnBelt, cobuild.Out, false, "DemoBelt", nil}
	eventHeldBy      = tieSpec{cobuild.Held, cobuild.In, false, "EventParty", nil}
	eventAttendedBy  = tieSpec{cobuild.Attended, cobuild.In, false, "EventParty", nil}
	personMentees    = tieSpec{cobuild.Mentors, cobuild.Out, true, "Person", []string{"mentee"}}
	personMentors    = tieSpec{cobuild.Mentors, cobuild.In, true, "Person", []string{"mentor"}}
	personHolds      = tieSpec{cobuild.Holds, cobuild.Out, false, "Certification", nil}
	personSeconded   = tieSpec{cobuild.SecondedTo, cobuild.Out, false, "Area", []string{"area"}}
	personHeld       = tieSpec{cobuild.Held, cobuild.Out, false, "Event", nil}
	personAttended   = tieSpec{cobuild.Attended, cobuild.Out, false, "Event", nil}
	personSchool     = tieSpec{cobuild.TrainedAt, cobuild.Out, false, "Organization", nil}
	holderOf         = tieSpec{cobuild.Holds, cobuild.In, false, "Person", nil}
	branchFormedIn   = tieSpec{cobuild.FormedIn, cobuild.Out, false, "Organization", nil}
	branchBody       = tieSpec{cobuild.BranchOf, cobuild.Out, false, "Organization", nil}
	branchRecommends = tieSpec{cobuild.Recommended, cobuild.Out, false, "Person", nil}
	branchHelped     = tieSpec{cobuild.HelpedForm, cobuild.Out, false, "PartyOrganization", nil}
)

// PersonTieTypes are the person–organisation ties in the order people lists them.
var PersonTieTypes = []cobuild.TieType{cobuild.AssignedTo, cobuild.WorksAt, cobuild.PlacedAt, cobuild.ApprenticedAt, cobuild.TrainedAt}

// personTie is the spec of a person tie of an organisation (into it) or of a person (out
// of them); the far end is described by the tie's person or organisation field.
func personTie(t cobuild.TieType, dir cobuild.Direction) tieSpec {
	if dir == cobuild.In {
		return tieSpec{t, cobuild.In, true, "Person", []string{"person"}}
	}
	return tieSpec{t, cobuild.Out, true, "Organization", []string{"organization"}}
}

// fieldPlan adds to f what a field needs.
type fieldPlan func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch)

// ties plans the fields that follow one or more tie specs.
func ties(specs ...tieSpec) fieldPlan {
	return func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch) {
		for _, s := range specs {
			p.tie(cf, s, f)
		}
	}
}

// plans are the plans of the fields that follow ties, by type; init fills them (they
// refer to the planner, which refers to them).
var plans map[string]*planSet

// planSet is the plans of the fields of a type; the seven organisation types share one.
type planSet struct {
	fields map[string]fieldPlan
}

// orgPlans are the plans of the fields every organisation type has.
func orgPlans() map[string]fieldPlan {
	return map[string]fieldPlan{
		"area": ties(orgArea), "park": ties(orgPark), "community": ties(orgCommunity), "industry": ties(orgIndustry),
		"partyOrganizations": ties(orgPartyOrgs), "coveredBy": ties(orgCoveredBy), "memberships": ties(orgMemberships),
		"coBuilds": ties(orgCoBuilds), "events": ties(orgHeld, orgAttended), "massBranches": ties(orgMassBranches),
		"demoSites": ties(orgDemoSites), "brands": ties(orgBrands), "branches": ties(massOrgBranches),
		"people": func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch) {
			for _, t := range p.tieTypes(cf, "types", PersonTieTypes) {
				p.personTie(cf, personTie(t, cobuild.In), f)
			}
		},
		"coverage": func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch) {
			day := p.dayArg(cf, "asOf")
			_, cached := p.r.cachedCensus(p.ctx, day)
			p.checked = append(p.checked, censusCheck{day, cached})
			if !cached {
				f.Facts = append(f.Facts, day)
			}
		},
		// The newest evaluation of the party organisations it has today.
		"latestEvaluation": func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch) {
			latest := p.fetch("Evaluation", cf.Selections)
			f.Ties = append(f.Ties, cobuild.FetchTie{Query: orgPartyOrgs.query(p.today), Then: &cobuild.Fetch{Latest: latest}})
		},
	}
}

func init() {
	byType := map[string]map[string]fieldPlan{
		"PartyOrganization": {
			"organization": ties(partyOwner), "alliance": ties(partyAlliance), "covers": ties(partyCovers),
			"evaluations": ties(partyEvaluations), "helpedBy": ties(partyHelpedBy),
			"latestEvaluation": func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch) {
				f.Latest = merge(f.Latest, p.fetch("Evaluation", cf.Selections))
			},
		},
		"Evaluation": {"partyOrganization": ties(evaluationOf)},
		"Alliance": {
			"memberships": ties(hubMemberships), "partyOrganization": ties(hubPartyOrg), "industry": ties(hubIndustry),
			"held": ties(hubHeld), "attended": ties(hubAttended),
		},
		"RedZone":   {"memberships": ties(hubMemberships)},
		"Agreement": {"parties": ties(agreementParties), "held": ties(hubHeld)},
		"Area":      {"agreements": ties(areaAgreements)},
		"Brand":     {"owners": ties(brandOwners)},
		"DemoBelt":  {"sites": ties(beltSites)},
		"DemoSite":  {"organizations": ties(siteOrgs), "belt": ties(siteBelt)},
		"Event": {
			"heldBy": ties(eventHeldBy), "attendedBy": ties(eventAttendedBy),
			"attendance": func(_ *planner, _ graphql.CollectedField, f *cobuild.Fetch) { f.Attendance = true },
		},
		"Person": {
			"mentees": ties(personMentees), "mentors": ties(personMentors), "certification": ties(personHolds),
			"secondments": ties(personSeconded), "events": ties(personHeld, personAttended),
			"ties": func(p *planner, cf graphql.CollectedField, f *cobuild.Fetch) {
				for _, t := range p.tieTypes(cf, "types", PersonTieTypes) {
					p.tie(cf, personTie(t, cobuild.Out), f)
				}
			},
		},
		"Certification": {"holder": ties(holderOf)},
		"MassBranch": {"formedIn": ties(branchFormedIn), "body": ties(branchBody), "recommended": ties(branchRecommends),
			"helpedForm": ties(branchHelped)},
	}
	plans = map[string]*planSet{}
	for t, fields := range byType {
		plans[t] = &planSet{fields}
	}
	org := &planSet{orgPlans()}
	for _, t := range []string{"Enterprise", "SocialOrganization", "Hospital", "School", "Community", "Department", "MassOrganization"} {
		plans[t] = org
	}
}

// maxPlanDepth bounds how deep one statement follows ties; deeper fields are read by
// their resolvers.
const maxPlanDepth = 6

// planner builds the Fetch of one operation's selections.
type planner struct {
	r     *Resolver
	ctx   context.Context
	op    *graphql.OperationContext
	today time.Time
	depth int
	// checked records the days whose census the plan looked for, and whether it was
	// built: a plan that fetches no coverage facts of a day relies on its census.
	checked []censusCheck
}

type censusCheck struct {
	day    time.Time
	cached bool
}

// plan returns what to fetch along with nodes of a GraphQL type for a selection; nil when
// the operation asks for nothing beyond the nodes.
func (r *Resolver) plan(ctx context.Context, typeName string, sel ast.SelectionSet) *cobuild.Fetch {
	f, _ := r.planWith(ctx, typeName, sel)
	return f
}

func (r *Resolver) planWith(ctx context.Context, typeName string, sel ast.SelectionSet) (*cobuild.Fetch, []censusCheck) {
	if !graphql.HasOperationContext(ctx) {
		return nil, nil
	}
	p := &planner{r: r, ctx: ctx, op: graphql.GetOperationContext(ctx), today: r.day(ctx, nil)}
	f := p.fetch(typeName, sel)
	if f.Empty() {
		return nil, p.checked
	}
	return f, p.checked
}

// planKey names the plan of one field of an operation: the field (parsed operations are
// kept and reused, so its pointer is stable) and the selections gathered for it (a field
// asked in several places of an operation, through fragments, gathers the selections of
// all of them), the type planned, the operation's variables and the request's day.
type planKey struct {
	field      *ast.Field
	selections string
	kind       string
	vars       string
	today      time.Time
}

// selectionsKey names a gathered selection set by the parsed selections it holds.
func selectionsKey(sel ast.SelectionSet) string {
	b := make([]byte, 0, 16*len(sel))
	for _, s := range sel {
		b = fmt.Appendf(b, "%p,", s)
	}
	return string(b)
}

type cachedPlan struct {
	fetch   *cobuild.Fetch
	checked []censusCheck
}

// plans caches the plans of the fields the server was asked recently: dashboards send the
// same operations again and again, and planning one (collecting its fields for each type
// of an interface) costs more than the rest of the request's Go work.
type planCache struct {
	mu    sync.Mutex
	plans map[planKey]cachedPlan
}

// maxPlans bounds the plan cache; when full it starts again.
const maxPlans = 4096

// cached returns the plan of the current field, planned with plan when not cached or when
// a census it relied on (or lacked) has changed.
func (r *Resolver) cached(ctx context.Context, kind string, plan func() (*cobuild.Fetch, []censusCheck)) *cobuild.Fetch {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	k := planKey{field: fc.Field.Field, selections: selectionsKey(fc.Field.Selections), kind: kind, today: r.day(ctx, nil)}
	if len(op.Variables) > 0 {
		vars, err := json.Marshal(op.Variables)
		if err != nil {
			f, _ := plan()
			return f
		}
		k.vars = string(vars)
	}
	r.planCache.mu.Lock()
	c, ok := r.planCache.plans[k]
	r.planCache.mu.Unlock()
	if ok && r.stillHolds(ctx, c.checked) {
		return c.fetch
	}
	f, checked := plan()
	r.planCache.mu.Lock()
	if r.planCache.plans == nil || len(r.planCache.plans) >= maxPlans {
		r.planCache.plans = map[planKey]cachedPlan{}
	}
	r.planCache.plans[k] = cachedPlan{f, checked}
	r.planCache.mu.Unlock()
	return f
}

// stillHolds reports whether the censuses a plan looked for are as they were.
func (r *Resolver) stillHolds(ctx context.Context, checked []censusCheck) bool {
	for _, c := range checked {
		if _, cached := r.cachedCensus(ctx, c.day); cached != c.cached {
			return false
		}
	}
	return true
}

// planField returns what to fetch along with the nodes a field returns directly.
func (r *Resolver) planField(ctx context.Context, typeName string) *cobuild.Fetch {
	return r.cached(ctx, "field "+typeName, func() (*cobuild.Fetch, []censusCheck) {
		fc := graphql.GetFieldContext(ctx)
		return r.planWith(ctx, typeName, fc.Field.Selections)
	})
}

// planConnection returns what to fetch along with the rows of a connection the current
// field returns: its nodes and its edges' nodes.
func (r *Resolver) planConnection(ctx context.Context, connection, typeName string) *cobuild.Fetch {
	return r.cached(ctx, "connection "+typeName, func() (*cobuild.Fetch, []censusCheck) {
		return r.planRows(ctx, connection, typeName)
	})
}

func (r *Resolver) planRows(ctx context.Context, connection, typeName string) (*cobuild.Fetch, []censusCheck) {
	fc := graphql.GetFieldContext(ctx)
	op := graphql.GetOperationContext(ctx)
	var rows ast.SelectionSet
	for _, c := range graphql.CollectFields(op, fc.Field.Selections, []string{connection}) {
		switch c.Name {
		case "nodes":
			rows = append(rows, c.Selections...)
		case "edges":
			for _, e := range graphql.CollectFields(op, c.Selections, []string{typeName + "Edge"}) {
				if e.Name == "node" {
					rows = append(rows, e.Selections...)
				}
			}
		}
	}
	return r.planWith(ctx, typeName, rows)
}

// asks reports whether the current field's selection asks for any of the named fields of
// its type.
func asks(ctx context.Context, typeName string, names ...string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return true
	}
	for _, c := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{typeName}) {
		if slices.Contains(names, c.Name) {
			return true
		}
	}
	return false
}

func (p *planner) fetch(typeName string, sel ast.SelectionSet) *cobuild.Fetch {
	f := &cobuild.Fetch{}
	if len(sel) == 0 || p.depth >= maxPlanDepth {
		return f
	}
	p.depth++
	defer func() { p.depth-- }()
	// The members of an interface or union often share their plans (the seven
	// organisation types do) and the operation asks the same of each: a field is planned
	// once per plan set, not once per member type.
	type planned struct {
		set   *planSet
		field *ast.Field
	}
	seen := map[planned]bool{}
	for _, concrete := range p.concrete(typeName) {
		set := plans[concrete.Name]
		if set == nil {
			continue
		}
		for _, cf := range graphql.CollectFields(p.op, sel, p.satisfies(concrete)) {
			plan, ok := set.fields[cf.Name]
			if !ok {
				continue
			}
			k := planned{set, cf.Field}
			if seen[k] {
				continue
			}
			seen[k] = true
			plan(p, cf, f)
		}
	}
	return dedupe(f)
}

// concrete returns the object types of a type: itself, or the members of an interface or
// union.
func (p *planner) concrete(typeName string) []*ast.Definition {
	def := p.r.schema.Types[typeName]
	if def == nil {
		return nil
	}
	if def.Kind == ast.Object {
		return []*ast.Definition{def}
	}
	return p.r.schema.GetPossibleTypes(def)
}

// satisfies lists the type conditions an object type meets: its name and the interfaces
// and unions it belongs to.
func (p *planner) satisfies(def *ast.Definition) []string {
	out := []string{def.Name}
	for _, i := range p.r.schema.GetImplements(def) {
		out = append(out, i.Name)
	}
	return out
}

// tie adds a tie spec of a field to f, with what the field's selection asks of the nodes at
// the other end.
func (p *planner) tie(cf graphql.CollectedField, s tieSpec, f *cobuild.Fetch) {
	f.Ties = append(f.Ties, cobuild.FetchTie{Query: s.query(p.dayArg(cf, "asOf")), Then: p.fetch(s.far, p.farSelection(cf, s))})
}

// personTie adds a person tie of an organisation, and, when its school is asked for, the
// schools that train the person.
func (p *planner) personTie(cf graphql.CollectedField, s tieSpec, f *cobuild.Fetch) {
	then := p.fetch(s.far, p.farSelection(cf, s))
	for _, c := range graphql.CollectFields(p.op, cf.Selections, []string{"PersonTie"}) {
		if c.Name == "school" {
			then.Ties = append(then.Ties, cobuild.FetchTie{Query: personSchool.query(p.today), Then: p.fetch("Organization", c.Selections)})
		}
	}
	f.Ties = append(f.Ties, cobuild.FetchTie{Query: s.query(p.dayArg(cf, "asOf")), Then: dedupe(then)})
}

// farSelection is the selection that describes the nodes at the other end of a field's
// ties: the field's own, or that of its via fields.
func (p *planner) farSelection(cf graphql.CollectedField, s tieSpec) ast.SelectionSet {
	if s.via == nil {
		return cf.Selections
	}
	def := cf.Definition
	if def == nil {
		return nil
	}
	var sel ast.SelectionSet
	for _, c := range graphql.CollectFields(p.op, cf.Selections, []string{def.Type.Name()}) {
		if slices.Contains(s.via, c.Name) {
			sel = append(sel, c.Selections...)
		}
	}
	return sel
}

// dayArg reads a Date argument of a field; the request's today when absent or not a date
// (the resolver then reports the error).
func (p *planner) dayArg(cf graphql.CollectedField, name string) time.Time {
	if s, ok := cf.ArgumentMap(p.op.Variables)[name].(string); ok {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t
		}
	}
	return p.today
}

// tieTypes reads a list-of-tie-types argument of a field, with a default.
func (p *planner) tieTypes(cf graphql.CollectedField, name string, def []cobuild.TieType) []cobuild.TieType {
	list, ok := cf.ArgumentMap(p.op.Variables)[name].([]any)
	if !ok || len(list) == 0 {
		return def
	}
	var out []cobuild.TieType
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, cobuild.TieType(s))
		}
	}
	return out
}

// dedupe merges the ties of f asked for twice (two fields following the same ties, such
// as an organisation's party organisations and its latest evaluation) and repeated days.
func dedupe(f *cobuild.Fetch) *cobuild.Fetch {
	if f == nil {
		return nil
	}
	var ties []cobuild.FetchTie
	at := map[cobuild.TieKey]int{}
	for _, t := range f.Ties {
		if i, ok := at[t.Query.Key()]; ok {
			ties[i].Then = merge(ties[i].Then, t.Then)
			continue
		}
		at[t.Query.Key()] = len(ties)
		ties = append(ties, t)
	}
	f.Ties = ties
	slices.SortFunc(f.Facts, func(a, b time.Time) int { return a.Compare(b) })
	f.Facts = slices.Compact(f.Facts)
	return f
}

// merge returns a fetch asking for everything a and b ask for.
func merge(a, b *cobuild.Fetch) *cobuild.Fetch {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return dedupe(&cobuild.Fetch{Ties: append(slices.Clone(a.Ties), b.Ties...), Latest: merge(a.Latest, b.Latest),
		Facts: append(slices.Clone(a.Facts), b.Facts...), Attendance: a.Attendance || b.Attendance})
}
