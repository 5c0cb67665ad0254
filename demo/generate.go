// Package demo generates the deterministic demo dataset of 宣州区's joint-building network:
// every figure of the source article (docs/domain.md) exactly, every named entity by name, and a
// plausible generic population around them, laid out as docs/graph-model.md says.
//
// The same Options always give the same Dataset, byte for byte: one math/rand/v2 PCG source
// seeded from Options.Seed drives every choice, no Go map is ever iterated to produce output,
// no clock is read, and every float product that is then added to is rounded by an explicit
// conversion, so that no platform fuses it into a multiply-add with another result. "Today" of the dataset is the article's date, 2023-10-21.
//
// # Figures
//
// The figure-bearing structures (mass branches, recommendations, agreements, red zones,
// alliances and their events, the hospital alliance's meetings and service, certifications,
// recruits, apprentices, mentors, secondments, training, demonstration sites, brands, the 96
// committee and alliance members, and the 24 gold / 4 weak evaluations of round 2023-05) are
// built once, whatever the scale, and attached to organisations of the first copy of the
// population. So every figure of docs/domain.md holds at every scale except the two population
// counts, which are 3 + 14,670×Scale enterprises and 1 + 312×Scale social organisations.
//
// # Distributions
//
// The source is silent on everything else. The generator fills it with the distributions
// below; every row is an assumption of this package unless it says "source".
//
//	what                               distribution (per copy of the population, Scale copies)
//	---------------------------------  ----------------------------------------------------------
//	enterprises / social organisations source: 14,673 / 313 at scale 1 (3 and 1 of them named);
//	                                   12 of the 313 are private hospitals (HOSPITAL)
//	enterprise industry                批发零售 30%, 住宿餐饮 12%, 建筑业 10%, 居民服务 9%,
//	                                   农副食品加工 7%, 交通物流 6%, 智能装备制造 6%, 精细化工 5%,
//	                                   纺织服装 4%, 电子信息制造 4%, 碳酸钙新材料 3%, 医药制造 2%,
//	                                   酒饮料制造 2%; social organisations: 社会组织服务 or
//	                                   教育培训, hospitals 卫生健康
//	headcount band (enterprises)       micro 1–9 68% (skewed to 1–3), small 10–99 27% (log-uniform),
//	                                   medium 100–299 3.5% (log-uniform), large ≥300 1.5% (Pareto
//	                                   α 1.6, capped at 5,000); social organisations 55/42/3/0;
//	                                   hospitals 30–400 log-uniform
//	full party members                 0 with probability 85% (micro), 60% (small), 12% (medium),
//	                                   4% (large) — about 74% zero overall; otherwise 1 + a
//	                                   geometric count of mean max(0.3, 0.045×headcount), at most
//	                                   the headcount
//	above-scale (规上)                 leading industries: exactly 103 firms per copy (medium 60%,
//	                                   large 40%), no other firm of a leading industry is above
//	                                   scale and none is large; other industries: large 85%,
//	                                   medium 40%, small 1.5% — about 3% of enterprises
//	operating                          92% (above-scale 99%)
//	registeredOn                       2023-06-30 minus an exponential age (mean 7 years; 10 for
//	                                   large firms and those with ≥ 3 members; 12 above-scale;
//	                                   social organisations 8), not before 1992 (1995)
//	location                           parks (IN_PARK) 45% of manufacturing firms, 8% of others,
//	                                   about 20% overall, 宣城高新区 55% / 宣州经开区 45%; the rest
//	                                   62.5% in the 7 subdistricts, 37.5% in the 16 towns (weights
//	                                   in world.go); every organisation LOCATED_IN a subdistrict or
//	                                   town (park firms in the park's host subdistrict)
//	community (IN_COMMUNITY)           every non-park organisation in a subdistrict, 40% of those
//	                                   in towns (town-seat communities); 80 communities: 59 in
//	                                   subdistricts, 1–2 per town
//	coordinates                        area centre (around 30.94N 118.76E) + normal jitter
//	                                   (σ 0.01° in subdistricts and parks, 0.025° in towns)
//	credit code                        authority 9 category 1 (enterprises), 5/1 (associations,
//	                                   商会), 5/2 (民办非企业: centres, schools, hospitals),
//	                                   division 341802, serials a bijection of a counter
//	own party organisation             95% of organisations with ≥ 3 full members registered by
//	                                   2022-09-01 (BRANCH, GENERAL_BRANCH at ≥ 50, COMMITTEE at
//	                                   ≥ 100 — Rules thresholds); founded 2008–2022-10 (so both
//	                                   rounds evaluate them); the rest, about 13%, are the
//	                                   should-but-doesn't list
//	joint branches (JOINT_BRANCH)      per subdistrict or town, non-park organisations without an
//	                                   own one: 50% of those with 1–2 members, 30% with ≥ 3, 1.5%
//	                                   of small ones with 0, grouped 3–10 per branch (total members
//	                                   ≥ 3); founded 2012–2022-10; 8% of COVERED_BY ties ended;
//	                                   15% of own organisations founded since 2016 were covered
//	                                   by a joint branch before (tie ended on the founding day)
//	regional party organisations       2 parks (owned by the park management committees) and 25
//	                                   communities (城东社区 among them); cover 40% of the
//	                                   remaining park firms and 45% of the remaining firms of
//	                                   those communities; 6% of those ties ended
//	industry coverage (INDUSTRY)       18% of the leading-industry firms not otherwise covered are
//	                                   COVERED_BY their industry committee's party organisation,
//	                                   since 2023-04
//	instructors / liaisons             220 instructors and 150 liaisons per copy, spread over the
//	                                   subdistricts and towns by organisation count; instructor
//	                                   assigned to 68% of organisations without organisational
//	                                   coverage and 12% of those with it; liaison to 25% of those
//	                                   still without, 4% of others; 10% of assignments ended, 60%
//	                                   of those replaced
//	party workers                      a SECRETARY per party organisation (10% with a predecessor
//	                                   whose tie ended); PARTY_WORKER 1–2 at general branches and
//	                                   committees, one at 40% of branches
//	joint-building ties (generic)      an organisation gets one with probability 85% (own party
//	                                   organisation), 65% (joint, regional or industry covered),
//	                                   60% (work covered), 55% (uncovered): community members
//	                                   attend their community's joint meetings (70%) or co-build
//	                                   with it (SHEQI, social organisations SHUANGSHE, 30%); park
//	                                   firms attend the park's epidemic-service events; town firms
//	                                   outside a community attend a town community's meetings;
//	                                   8% of CO_BUILDS_WITH ended. Result at scale 1: about 30%
//	                                   own or joint covered, 52% work covered, 18% uncovered,
//	                                   about 1,200 isolated and uncovered
//	mass branches (source: 102)        50 union, 30 Youth League, 22 Women's Federation; 16 in
//	                                   organisations whose branch they helped form (source), the
//	                                   rest in organisations with ≥ 10 staff and no own party
//	                                   organisation; formed 2021–2023
//	evaluations                        every BRANCH, GENERAL_BRANCH, COMMITTEE and JOINT_BRANCH,
//	                                   rounds 2022-11 and 2023-05; 2023-05: exactly 24 gold and
//	                                   4 weak (source), the rest normal(76.5, 6.5) clipped to
//	                                   [60.3, 89.6]; 2022-11 = 2023-05 − normal(1.5, 3); of the 4
//	                                   weak, 2 were weak in 2022-11 too and 2 fell from bronze; at
//	                                   least 6 rose out of weak and 3 fell from gold; self = committee + normal(3, 2) points (1.2%:
//	                                   10.5–16), public = committee + normal(0.5, 2); weak
//	                                   dimensions below 75 mostly 活动阵地建设 and 工作保障情况
//	figure-bearing people              red-leader candidates are PARTY_WORKERs of copy 0 (32 of
//	                                   307 certified at random); 135 of the copy-0 instructors
//	                                   mentor 1–6 staff each (mostly in their assigned organisations
//	                                   that have party coverage); recruits go to the 96 member firms;
//	                                   apprentices: 立讯精密 72, 美诺华药业 48 (宣城信息工程学校),
//	                                   6 more manufacturers 11 each (three schools 50/30/20)
//
// Further assumptions: 宣酒 sits in 寒亭镇, 立讯精密 in 宣州经开区, 美诺华药业 in 宣城高新区,
// 宣城仁杰医院 in 城东社区 (澄江街道); 四个围绕工作法 is owned by 宣酒; the two provincial
// points are 宣酒 and 宣城仁杰医院; industry committees are chaired by 区经信局 and cluster
// alliances by their largest member; the parks' regional party organisations belong to the
// parks' management committees (DEPARTMENT organisations 宣城高新区管委会, 宣州经开区管委会),
// since an Area cannot own a party organisation; public bodies carry name, kind, sector,
// headcount, operating and coordinates only.
package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"cobuild"
)

// Version names the generator's output. Bump it whenever a change alters the data set;
// TestOutputIsPinned fails until you do, and a database seeded by another version is
// seeded again at the next start.
const Version = 4

// DefaultSeed is the seed used when Options.Seed is zero: the article's date.
const DefaultSeed int64 = 20231021

// MaxScale is the largest accepted Options.Scale; ids keep six digits up to scale 60 and
// seven beyond.
const MaxScale = 200

// Options of the generator.
type Options struct {
	Seed  int64 // default 20231021
	Scale int   // 1 = the district; N multiplies the generic population (organisations, people, ties); named entities and the figure-bearing structures stay as at scale 1
}

// The generated graph is a cobuild.Dataset, nodes and relationships in creation order;
// dates are time.Time days.
type (
	Dataset = cobuild.Dataset
	Node    = cobuild.DataNode
	Rel     = cobuild.DataRel
)

// WithDefaults fills a zero Seed and Scale with DefaultSeed and 1.
func (o Options) WithDefaults() Options {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Scale == 0 {
		o.Scale = 1
	}
	return o
}

// Generate builds the dataset for opts.
func Generate(opts Options) (ds *Dataset, err error) {
	opts = opts.WithDefaults()
	if opts.Scale < 1 || opts.Scale > MaxScale {
		return nil, cobuild.Errorf(cobuild.EINVALID, "scale must be between 1 and %d, got %d", MaxScale, opts.Scale)
	}
	defer func() {
		if r := recover(); r != nil {
			ds, err = nil, cobuild.Errorf(cobuild.EINTERNAL, "demo generator failed: %v", r)
		}
	}()
	g := newGen(opts)
	g.buildAreas()
	g.buildIndustries()
	g.buildAlliances()
	g.buildPublicOrgs()
	g.buildNamedOrgs()
	for c := 0; c < g.scale; c++ {
		g.buildPopulation(c)
	}
	g.buildRegionalPartyOrgs()
	for c := 0; c < g.scale; c++ {
		g.buildCoverage(c)
	}
	g.buildFigures()
	for c := 0; c < g.scale; c++ {
		g.buildLocalTies(c)
	}
	g.finishEvents()
	if err := g.buildEvaluations(); err != nil {
		return nil, err
	}
	return g.ds, nil
}

// Dates of the dataset.
var (
	today      = day(2023, 10, 21)
	lastReg    = day(2023, 6, 30)  // no organisation registered later
	lastFound  = day(2022, 10, 31) // evaluated party organisations are founded by then
	lastTie    = day(2023, 9, 30)  // generic ties start by then
	roundDates = [2]time.Time{day(2022, 11, 15), day(2023, 5, 15)}
	roundNames = [2]string{"2022-11", "2023-05"}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// dv returns a date as a property value; equal dates share one boxed value, which saves
// memory at large scales (a boxed value cannot be modified through the interface).
func (g *gen) dv(t time.Time) any {
	k := t.Unix()
	if v, ok := g.dates[k]; ok {
		return v
	}
	v := any(t)
	g.dates[k] = v
	return v
}

// sv returns a string property value; equal strings share one boxed value.
func (g *gen) sv(s string) any {
	if v, ok := g.strs[s]; ok {
		return v
	}
	v := any(s)
	g.strs[s] = v
	return v
}

type gen struct {
	rng   *rand.Rand
	rules cobuild.Rules
	scale int
	width int
	ds    *Dataset

	counters map[string]int      // next number per id prefix; looked up, never iterated
	dates    map[int64]any       // boxed dates by Unix time; looked up only
	strs     map[string]any      // boxed enum strings; looked up only
	names    map[string]struct{} // organisation names in use
	serial   int                 // credit-code serial counter

	labels map[cobuild.OrgKind][]string
	single map[string][]string

	areas      []area
	industries []industry
	orgs       []org
	pos        []partyOrg
	events     []eventRef

	// areas by role
	district, subdistricts, towns, parks []int
	parkHost                             []int
	townW, subW                          []float64
	jbCount                              []int // joint branches per area, for their names
	songjiang, gaochun, wuxi             int
	// fixed organisations by role
	departments    map[string]int // by name; looked up only
	deptOrder      []int
	massOrgs       [3]int
	schools        []int
	communities    []int
	parkCommittees [2]int
	named          struct{ luxshare, menovo, xuanjiu, renjie, chengdong, infoSchool int }
	// alliances
	workingCommittee, hospitalAlliance string
	committees, clusters               [3]string
	committeeFounded, clusterFounded   [3]time.Time
	industryPO                         [3]int
	regionalPO                         map[int]int // community or park-committee org -> party org; looked up only
	// per copy
	copyRange          [][2]int // org index range of each copy
	forced             [][]int  // the 103 above-scale leading-industry firms of each copy
	helped             []int    // copy-0 organisations whose branch a mass branch helped form
	instructors        [][]*staffer
	workers0           []worker // copy-0 and named PARTY_WORKERs
	secretaries0       []worker
	evaluated          []int // party organisations to evaluate, in creation order
	goldPlan, weakPlan map[int]bool
	designated         []int // organisations designated as belt points or provincial sites
}

type area struct {
	id, name, kind string
	lat, lng       float64
	spread         float64
	weight         float64
	communities    []int
}

type industry struct {
	id, code, name string
	leading        bool
	manufacturing  bool
	weight         float64
	words          []string
}

type org struct {
	id         string
	name       string
	kind       cobuild.OrgKind
	copy       int32 // -1 for fixed organisations
	area       int16 // subdistrict or town, -1 for none
	park       int8  // 0 or 1, -1 for none
	ind        int8  // industry, -1 for none
	comm       int32 // community organisation, -1 for none
	headcount  int32
	members    int32
	above      bool
	operating  bool
	managed    bool
	registered time.Time
	po         int32 // own party organisation, -1 for none
	cover      byte  // coverNone, coverOwn, coverJoint, ...
	work       bool  // instructor, liaison or mass branch in force today
}

const (
	coverNone byte = iota
	coverOwn
	coverJoint
	coverRegional
	coverIndustry
)

type partyOrg struct {
	id      string
	kind    string
	owner   int // organisation, -1 for none
	area    int
	founded time.Time
	members int
}

type eventRef struct {
	props     map[string]any
	attendees int
	perHead   int // person-times per attending organisation; 0 keeps the props' value
}

type staffer struct {
	id   string
	area int
	orgs []int // organisations assigned in force today
}

type worker struct {
	id  string
	org int
}

func newGen(opts Options) *gen {
	seed := uint64(opts.Seed)
	g := &gen{
		rng:         rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		rules:       cobuild.DefaultRules(),
		scale:       opts.Scale,
		width:       6,
		ds:          &Dataset{},
		counters:    map[string]int{},
		dates:       map[int64]any{},
		strs:        map[string]any{},
		names:       map[string]struct{}{},
		regionalPO:  map[int]int{},
		departments: map[string]int{},
	}
	if opts.Scale > 60 {
		g.width = 7
	}
	g.labels = map[cobuild.OrgKind][]string{}
	for _, k := range []struct {
		kind  cobuild.OrgKind
		label string
	}{{cobuild.OrgEnterprise, "Enterprise"}, {cobuild.OrgSocial, "SocialOrg"}, {cobuild.OrgHospital, "Hospital"},
		{cobuild.OrgSchool, "School"}, {cobuild.OrgCommunity, "Community"}, {cobuild.OrgDepartment, "Department"}, {cobuild.OrgMass, "MassOrg"}} {
		g.labels[k.kind] = []string{"Organization", k.label}
	}
	g.single = map[string][]string{}
	for _, l := range []string{"Area", "Industry", "PartyOrg", "Alliance", "Agreement", "RedZone", "DemoBelt", "DemoSite",
		"Brand", "Event", "Person", "Certification", "MassBranch", "Evaluation"} {
		g.single[l] = []string{l}
	}
	n := 14673 * opts.Scale
	g.orgs = make([]org, 0, n+400*opts.Scale+200)
	g.ds.Nodes = make([]Node, 0, n*145/100+5000)
	g.ds.Rels = make([]Rel, 0, n*52/10+40000)
	return g
}

// node adds a node with the next id of prefix and returns the id.
func (g *gen) node(prefix string, labels []string, props map[string]any) string {
	g.counters[prefix]++
	s := strconv.Itoa(g.counters[prefix])
	if len(s) < g.width {
		s = strings.Repeat("0", g.width-len(s)) + s
	}
	id := prefix + "-" + s
	props["id"] = id
	g.ds.Nodes = append(g.ds.Nodes, Node{Labels: labels, Props: props})
	return id
}

func (g *gen) rel(typ cobuild.TieType, from, to string, props map[string]any) {
	g.ds.Rels = append(g.ds.Rels, Rel{Type: typ, From: from, To: to, Props: props})
}

// tie returns the properties of a dated tie: since and until when set, then key/value pairs
// of strings (role, mode, school).
func (g *gen) tie(since, until time.Time, kv ...string) map[string]any {
	m := make(map[string]any, 2+len(kv)/2)
	if !since.IsZero() {
		m["since"] = g.dv(since)
	}
	if !until.IsZero() {
		m["until"] = g.dv(until)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = g.sv(kv[i+1])
	}
	return m
}

// ---- random helpers ----

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) intIn(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *gen) uniform(lo, hi float64) float64 { return lo + float64((hi-lo)*g.rng.Float64()) }

// between returns a day uniformly in [a, b]; a when b is before a.
func (g *gen) between(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	days := int(b.Sub(a).Hours() / 24)
	return a.AddDate(0, 0, g.rng.IntN(days+1))
}

func (g *gen) pickW(w []float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	r := float64(g.rng.Float64() * sum)
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

// geom returns a geometric count of failures with the given mean.
func (g *gen) geom(mean float64) int {
	if mean <= 0 {
		return 0
	}
	q := mean / (1 + mean)
	u := 1 - g.rng.Float64()
	return int(math.Floor(math.Log(u) / math.Log(q)))
}

func (g *gen) logUniform(lo, hi float64) int {
	return int(math.Floor(math.Exp(g.uniform(math.Log(lo), math.Log(hi+1)))))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// person adds a person; male is the probability of a man.
func (g *gen) person(male, member float64, born0, born1 int) string {
	gender := "F"
	given := givenFemale
	if g.chance(male) {
		gender, given = "M", givenMale
	}
	name := surnames[g.rng.IntN(len(surnames))] + given[g.rng.IntN(len(given))]
	if g.chance(0.7) {
		name += given[g.rng.IntN(len(given))]
	}
	return g.node("pe", g.single["Person"], map[string]any{
		"name": name, "gender": g.sv(gender), "partyMember": g.chance(member), "birthYear": int64(g.intIn(born0, born1)),
	})
}

// event adds an event; personTimes < 0 leaves it to finishEvents (perHead per attendee).
func (g *gen) event(kind, name string, date time.Time, personTimes int, perHead int) (string, int) {
	props := map[string]any{"name": name, "kind": g.sv(kind), "date": g.dv(date)}
	if personTimes >= 0 {
		props["personTimes"] = int64(personTimes)
	}
	id := g.node("ev", g.single["Event"], props)
	g.events = append(g.events, eventRef{props: props, perHead: perHead})
	return id, len(g.events) - 1
}

// attend adds an ATTENDED tie from a node to an event.
func (g *gen) attend(from, eventID string, ev int) {
	g.rel("ATTENDED", from, eventID, nil)
	g.events[ev].attendees++
}

// finishEvents sets personTimes of events whose count depends on their attendance.
func (g *gen) finishEvents() {
	for i := range g.events {
		e := &g.events[i]
		if e.perHead > 0 {
			e.props["personTimes"] = int64(e.attendees * e.perHead)
		}
	}
}
