package demo

import (
	"strconv"
	"strings"
	"time"

	"cobuild"
)

// The district's subdistricts and towns: name, centre, share of the organisations placed in
// subdistricts (resp. towns), and the number of communities. Centres are approximate.
var subdistrictTable = []struct {
	name        string
	lat, lng    float64
	weight      float64
	communities int
}{
	{"澄江街道", 30.945, 118.765, 18, 10}, {"鳌峰街道", 30.955, 118.750, 18, 10}, {"济川街道", 30.930, 118.770, 14, 9},
	{"西林街道", 30.940, 118.735, 12, 8}, {"敬亭山街道", 30.975, 118.745, 10, 7}, {"向阳街道", 30.905, 118.790, 14, 8},
	{"飞彩街道", 30.960, 118.790, 14, 7},
}

var townTable = []struct {
	name        string
	lat, lng    float64
	weight      float64
	communities int
}{
	{"水阳镇", 31.180, 118.830, 8, 2}, {"狸桥镇", 31.060, 119.030, 7, 2}, {"沈村镇", 31.030, 118.930, 7, 2},
	{"古泉镇", 30.800, 118.980, 5, 1}, {"洪林镇", 30.780, 118.850, 5, 1}, {"寒亭镇", 31.010, 118.820, 7, 2},
	{"文昌镇", 31.000, 118.700, 6, 1}, {"孙埠镇", 30.880, 118.920, 7, 2}, {"杨柳镇", 30.860, 118.820, 6, 1},
	{"水东镇", 30.840, 118.900, 6, 1}, {"新田镇", 30.720, 118.950, 4, 1}, {"周王镇", 30.800, 118.650, 5, 1},
	{"溪口镇", 30.700, 118.800, 4, 1}, {"五星乡", 31.050, 118.750, 4, 1}, {"朱桥乡", 31.100, 118.880, 4, 1},
	{"养贤乡", 30.900, 118.600, 3, 1},
}

// The in-district parks and the subdistrict that hosts each (assumption).
var parkTable = []struct {
	name, host string
	lat, lng   float64
	weight     float64
}{
	{"宣城高新区", "飞彩街道", 30.970, 118.810, 55},
	{"宣州经开区", "向阳街道", 30.900, 118.800, 45},
}

var industryTable = []industry{
	{code: "C26", name: "精细化工", leading: true, manufacturing: true, weight: 5, words: []string{"化工", "精细化工", "化学", "新材料科技", "化学品"}},
	{code: "C34", name: "智能装备制造", leading: true, manufacturing: true, weight: 6, words: []string{"智能装备", "机械", "精密机械", "自动化设备", "机电", "智能科技"}},
	{code: "C30", name: "碳酸钙新材料", leading: true, manufacturing: true, weight: 3, words: []string{"钙业", "新材料", "粉体材料", "矿业", "纳米材料"}},
	{code: "C13", name: "农副食品加工", manufacturing: true, weight: 7, words: []string{"食品", "粮油", "农产品", "米业", "茶业"}},
	{code: "C15", name: "酒饮料制造", manufacturing: true, weight: 2, words: []string{"酒业", "饮品", "酿造", "茶饮"}},
	{code: "C18", name: "纺织服装", manufacturing: true, weight: 4, words: []string{"纺织", "服饰", "制衣", "家纺"}},
	{code: "C27", name: "医药制造", manufacturing: true, weight: 2, words: []string{"医药", "药业", "生物科技", "制药"}},
	{code: "C39", name: "电子信息制造", manufacturing: true, weight: 4, words: []string{"电子", "电子科技", "光电", "电器"}},
	{code: "E48", name: "建筑业", weight: 10, words: []string{"建筑工程", "建设工程", "装饰工程", "建材", "园林工程"}},
	{code: "F52", name: "批发零售", weight: 30, words: []string{"商贸", "贸易", "百货", "超市", "五金", "农资"}},
	{code: "G54", name: "交通物流", weight: 6, words: []string{"物流", "运输", "货运", "供应链"}},
	{code: "H62", name: "住宿餐饮", weight: 12, words: []string{"餐饮管理", "酒店管理", "饮食服务", "餐饮"}},
	{code: "O80", name: "居民服务", weight: 9, words: []string{"家政服务", "物业管理", "保洁服务", "美容美发", "汽车维修"}},
	{code: "Q84", name: "卫生健康"},
	{code: "P83", name: "教育培训"},
	{code: "S95", name: "社会组织服务"},
}

// Industry indices used by name.
const (
	indChem, indEquip, indCalcium = 0, 1, 2
	indLiquor, indPharma, indElec = 4, 6, 7
	indHealth, indEdu, indSocial  = 13, 14, 15
)

var departmentNames = []string{
	"区委组织部", "区委统战部", "区经信局", "区民政局", "区卫健委", "区市场监管局", "区商务局", "区科技局", "区人社局", "区教体局",
}

func (g *gen) addArea(name, kind string, inDistrict bool, lat, lng, spread, weight float64) int {
	id := g.node("ar", g.single["Area"], map[string]any{"name": name, "kind": kind, "inDistrict": inDistrict})
	g.areas = append(g.areas, area{id: id, name: name, kind: kind, lat: lat, lng: lng, spread: spread, weight: weight})
	return len(g.areas) - 1
}

func (g *gen) areaByName(name string) int {
	for i := range g.areas {
		if g.areas[i].name == name {
			return i
		}
	}
	panic("demo: no area " + name)
}

func (g *gen) buildAreas() {
	d := g.addArea("宣州区", "DISTRICT", true, 30.94, 118.76, 0.01, 0)
	g.district = []int{d}
	for _, s := range subdistrictTable {
		i := g.addArea(s.name, "SUBDISTRICT", true, s.lat, s.lng, 0.01, s.weight)
		g.subdistricts = append(g.subdistricts, i)
		g.rel("LOCATED_IN", g.areas[i].id, g.areas[d].id, nil)
	}
	for _, t := range townTable {
		i := g.addArea(t.name, "TOWN", true, t.lat, t.lng, 0.025, t.weight)
		g.towns = append(g.towns, i)
		g.rel("LOCATED_IN", g.areas[i].id, g.areas[d].id, nil)
	}
	for _, p := range parkTable {
		i := g.addArea(p.name, "PARK", true, p.lat, p.lng, 0.01, p.weight)
		g.parks = append(g.parks, i)
		g.parkHost = append(g.parkHost, g.areaByName(p.host))
		g.rel("LOCATED_IN", g.areas[i].id, g.areas[d].id, nil)
	}
	g.songjiang = g.addArea("上海松江区", "DISTRICT", false, 31.03, 121.23, 0, 0)
	g.gaochun = g.addArea("高淳开发区", "PARK", false, 31.33, 118.90, 0, 0)
	g.wuxi = g.addArea("无锡高新区", "PARK", false, 31.50, 120.40, 0, 0)
}

func (g *gen) buildIndustries() {
	g.industries = make([]industry, len(industryTable))
	copy(g.industries, industryTable)
	for i := range g.industries {
		in := &g.industries[i]
		in.id = g.node("in", g.single["Industry"], map[string]any{"code": in.code, "name": in.name, "leading": in.leading})
	}
}

func (g *gen) addAlliance(name, kind string, founded time.Time) string {
	return g.node("al", g.single["Alliance"], map[string]any{"name": name, "kind": kind, "foundedOn": g.dv(founded)})
}

func (g *gen) buildAlliances() {
	g.workingCommittee = g.addAlliance("区委非公工委", "WORKING_COMMITTEE", day(2016, 6, 1))
	g.hospitalAlliance = g.addAlliance("民办医院党建联盟", "HOSPITAL_ALLIANCE", day(2022, 5, 12))
	for i := 0; i < 3; i++ {
		in := g.industries[i]
		g.committeeFounded[i] = day(2023, 3, 10+3*i)
		g.committees[i] = g.addAlliance(in.name+"行业综合党委", "INDUSTRY_COMMITTEE", g.committeeFounded[i])
		po := g.addPartyOrg("INDUSTRY", "中共宣州区"+in.name+"行业综合委员会", g.committeeFounded[i], g.intIn(120, 360), -1, -1, false)
		g.industryPO[i] = po
		g.rel("HAS_PARTY_ORG", g.committees[i], g.pos[po].id, g.tie(g.committeeFounded[i], time.Time{}))
		g.clusterFounded[i] = day(2023, 3, 24+3*i)
		g.clusters[i] = g.addAlliance(in.name+"产业集群党建联盟", "CLUSTER_ALLIANCE", g.clusterFounded[i])
		g.rel("IN_INDUSTRY", g.committees[i], in.id, nil)
		g.rel("IN_INDUSTRY", g.clusters[i], in.id, nil)
	}
}

// claim reserves an organisation name and reports whether it was free.
func (g *gen) claim(name string) bool {
	if _, ok := g.names[name]; ok {
		return false
	}
	g.names[name] = struct{}{}
	return true
}

// place returns coordinates in an area.
func (g *gen) place(a int) (float64, float64) {
	ar := g.areas[a]
	return round6(ar.lat + float64(g.rng.NormFloat64()*ar.spread)), round6(ar.lng + float64(g.rng.NormFloat64()*ar.spread))
}

// addOrg adds an organisation node with its structural ties and returns its index.
func (g *gen) addOrg(o org, props map[string]any) int {
	o.id = g.node("og", g.labels[o.kind], props)
	o.po = -1
	g.orgs = append(g.orgs, o)
	if o.area >= 0 {
		g.rel("LOCATED_IN", o.id, g.areas[o.area].id, nil)
	}
	if o.park >= 0 {
		g.rel("IN_PARK", o.id, g.areas[g.parks[o.park]].id, nil)
	}
	if o.comm >= 0 {
		g.rel("IN_COMMUNITY", o.id, g.orgs[o.comm].id, nil)
	}
	if o.ind >= 0 {
		g.rel("IN_INDUSTRY", o.id, g.industries[o.ind].id, nil)
	}
	return len(g.orgs) - 1
}

// addPublic adds a public body located in area a.
func (g *gen) addPublic(name string, kind cobuild.OrgKind, a int, headcount int) int {
	if !g.claim(name) {
		panic("demo: duplicate public name " + name)
	}
	lat, lng := g.place(a)
	o := org{name: name, kind: kind, copy: -1, area: int16(a), park: -1, ind: -1, comm: -1, headcount: int32(headcount), operating: true}
	return g.addOrg(o, map[string]any{
		"name": name, "kind": g.sv(string(kind)), "sector": g.sv(string(cobuild.SectorPublic)), "headcount": int64(headcount),
		"operating": true, "lat": lat, "lng": lng,
	})
}

func (g *gen) buildPublicOrgs() {
	d := g.district[0]
	for _, name := range departmentNames {
		i := g.addPublic(name, cobuild.OrgDepartment, d, g.intIn(25, 120))
		g.departments[name] = i
		g.deptOrder = append(g.deptOrder, i)
	}
	for k, p := range parkTable {
		i := g.addPublic(p.name+"管委会", cobuild.OrgDepartment, g.areaByName(p.host), g.intIn(60, 150))
		g.rel("IN_PARK", g.orgs[i].id, g.areas[g.parks[k]].id, nil)
		g.orgs[i].park = int8(k)
		g.parkCommittees[k] = i
		g.deptOrder = append(g.deptOrder, i)
	}
	for k, name := range []string{"区总工会", "团区委", "区妇联"} {
		g.massOrgs[k] = g.addPublic(name, cobuild.OrgMass, d, g.intIn(15, 40))
	}
	g.named.infoSchool = g.addPublic("宣城信息工程学校", cobuild.OrgSchool, g.areaByName("济川街道"), 320)
	g.schools = []int{g.named.infoSchool,
		g.addPublic("宣城职业技术学院", cobuild.OrgSchool, g.areaByName("敬亭山街道"), 860),
		g.addPublic("宣城市工业学校", cobuild.OrgSchool, g.areaByName("向阳街道"), 260)}

	// communities: 城东社区 first, then each subdistrict's, then the town-seat ones
	stem := 0
	nextStem := func() string {
		for {
			s := communityStems[stem%len(communityStems)]
			if round := stem / len(communityStems); round > 0 {
				s += strconv.Itoa(round + 1)
			}
			stem++
			if _, used := g.names[s+"社区"]; !used {
				return s + "社区"
			}
		}
	}
	addCommunity := func(name string, a int) {
		i := g.addPublic(name, cobuild.OrgCommunity, a, g.intIn(8, 30))
		g.areas[a].communities = append(g.areas[a].communities, i)
		g.communities = append(g.communities, i)
	}
	g.named.chengdong = -1
	for k, s := range subdistrictTable {
		a := g.subdistricts[k]
		for j := 0; j < s.communities; j++ {
			if k == 0 && j == 0 {
				addCommunity("城东社区", a)
				g.named.chengdong = g.communities[0]
				continue
			}
			addCommunity(nextStem(), a)
		}
	}
	for k, t := range townTable {
		a := g.towns[k]
		seat := strings.TrimSuffix(strings.TrimSuffix(t.name, "镇"), "乡") + "社区"
		if _, used := g.names[seat]; used {
			seat = nextStem()
		}
		addCommunity(seat, a)
		for j := 1; j < t.communities; j++ {
			addCommunity(nextStem(), a)
		}
	}
}

// managedProps are the properties of an enterprise or social organisation.
func (g *gen) managedProps(o *org, code string, lat, lng float64) map[string]any {
	sector := cobuild.SectorEnterprise
	if o.kind != cobuild.OrgEnterprise {
		sector = cobuild.SectorSocial
	}
	return map[string]any{
		"name": o.name, "kind": g.sv(string(o.kind)), "sector": g.sv(string(sector)), "creditCode": code,
		"headcount": int64(o.headcount), "partyMembers": int64(o.members), "aboveScale": o.above,
		"operating": o.operating, "registeredOn": g.dv(o.registered), "lat": lat, "lng": lng,
	}
}

// creditCode returns the next unique credit code of the given authority and category.
func (g *gen) creditCode(authority, category byte) string {
	serial := (g.serial*7919 + 1234567) % 100000000
	g.serial++
	code, err := cobuild.NewCreditCode(authority, category, "341802", serial)
	if err != nil {
		panic("demo: " + err.Error())
	}
	return code
}

func (g *gen) addManaged(o org, authority, category byte) int {
	if !g.claim(o.name) {
		panic("demo: duplicate name " + o.name)
	}
	o.managed = true
	a := int(o.area)
	if o.park >= 0 {
		a = g.parks[o.park]
	}
	lat, lng := g.place(a)
	return g.addOrg(o, g.managedProps(&o, g.creditCode(authority, category), lat, lng))
}

func (g *gen) buildNamedOrgs() {
	feicai, xiangyang, chengjiang, hanting := g.areaByName("飞彩街道"), g.areaByName("向阳街道"), g.areaByName("澄江街道"), g.areaByName("寒亭镇")
	ent := func(name string, ind, a, park, hc, members int, reg time.Time) int {
		comm := int32(-1)
		if park < 0 && len(g.areas[a].communities) > 0 {
			comm = int32(g.areas[a].communities[0])
		}
		return g.addManaged(org{name: name, kind: cobuild.OrgEnterprise, copy: -1, area: int16(a), park: int8(park), ind: int8(ind),
			comm: comm, headcount: int32(hc), members: int32(members), above: true, operating: true, registered: reg}, '9', '1')
	}
	g.named.luxshare = ent("立讯精密", indElec, xiangyang, 1, 3200, 126, day(2018, 11, 20))
	g.named.menovo = ent("美诺华药业", indPharma, feicai, 0, 680, 56, day(2012, 3, 15))
	g.named.xuanjiu = ent("宣酒", indLiquor, hanting, -1, 1500, 210, day(1998, 6, 18))
	g.named.renjie = g.addManaged(org{name: "宣城仁杰医院", kind: cobuild.OrgHospital, copy: -1, area: int16(chengjiang), park: -1,
		ind: indHealth, comm: int32(g.named.chengdong), headcount: 260, members: 24, operating: true, registered: day(2010, 8, 8)}, '5', '2')
	for _, x := range []struct {
		org     int
		founded time.Time
	}{{g.named.luxshare, day(2019, 7, 1)}, {g.named.menovo, day(2013, 6, 28)}, {g.named.xuanjiu, day(2002, 6, 30)}, {g.named.renjie, day(2015, 6, 30)}} {
		g.ownPartyOrg(x.org, x.founded)
	}
}

// buildRegionalPartyOrgs adds the parks' and 25 communities' regional party organisations.
func (g *gen) buildRegionalPartyOrgs() {
	for k := range g.parks {
		pc := g.parkCommittees[k]
		g.addRegional(pc, "中共"+g.areas[g.parks[k]].name+"非公企业综合委员会", day(2014+2*k, 7, 1))
	}
	chosen := []int{g.named.chengdong}
	rest := append([]int(nil), g.communities[1:]...)
	g.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	chosen = append(chosen, rest[:24]...)
	for _, c := range chosen {
		g.addRegional(c, "中共"+g.orgs[c].name+"区域化党建联合委员会", g.between(day(2014, 1, 1), day(2020, 12, 31)))
	}
}

func (g *gen) addRegional(owner int, name string, founded time.Time) {
	po := g.addPartyOrg("REGIONAL", name, founded, g.intIn(30, 180), owner, int(g.orgs[owner].area), false)
	g.regionalPO[owner] = po
	g.rel("HAS_PARTY_ORG", g.orgs[owner].id, g.pos[po].id, g.tie(founded, time.Time{}))
}
