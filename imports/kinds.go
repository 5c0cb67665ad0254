// Package imports reads the files a district keeps (the registry of organisations, party
// organisation rosters, instructors' assignments, alliance member lists, evaluation sheets...)
// as .xlsx or CSV in UTF-8 or GB18030, checks every row before anything is written, and turns
// them into one batch of the change log: nodes and ties matched by id, credit code or name,
// written only where they differ from the graph. The kinds of file, their Chinese columns and
// the synonyms accepted are the tables of this file; docs/import.md lists them.
package imports

import (
	"fmt"
	"strings"

	"cobuild"
)

// colType says how a cell is read.
type colType int

const (
	cText   colType = iota
	cInt            // a whole number, not negative
	cFloat          // a number
	cBool           // 是/否
	cDate           // a day: 2023-05-31, 2023/5/31, 2023年5月31日, or an Excel serial day
	cEnum           // one value of an enum, by its Chinese label, a synonym or its code
	cRef            // one node, by id, credit code, code or name
	cRefs           // several nodes, separated by ；;、 or a line break
	cCredit         // a unified social credit code, checked
	cRound          // an evaluation round: 2023-05 or 2023-11
	cScore          // one dimension score of one evaluator group
	cID             // the row's own id (编号)
)

// link is a tie written by a column of a node sheet: from the row's node to the referenced
// node (out) or from it (in). The row gives all such ties of the node: a tie the graph has
// and the row does not name is removed, unless its column is absent from the file.
type link struct {
	typ cobuild.TieType
	out bool
	// since, until, role: keys of the columns giving the tie's properties.
	since, until string
}

// col is one column of a kind of file.
type col struct {
	key      string // the column's English name, accepted as a header too
	header   string // its Chinese header, as templates and exports write it
	syn      []string
	typ      colType
	enum     string              // the enum of a cEnum column (labels of cobuild.Label), or of a fixed table below
	labels   []cobuild.NodeLabel // what a cRef or cRefs column names
	req      bool
	prop     string // the node's (node sheets) or the tie's (tie sheets) property it sets
	link     *link  // the tie a reference column of a node sheet writes
	end      string // "from" or "to": the ends of a tie sheet's tie
	group    string // cScore: self, public or committee
	dim      int    // cScore: the dimension, 0..6
	computed bool   // written by exports and templates, checked but not stored (总分)
	// within names the column whose area tells apart the nodes a name names: an area, or
	// an organisation's area (two towns each have a 城西社区).
	within string
}

// kind is one kind of file: its rows are nodes of one label (node != ""), or ties of one
// type (tie != "").
type kind struct {
	name    string // English name: organizations, coverage, ...
	title   string // Chinese name, the sheet's name in templates and in the demo's files
	aliases []string
	node    cobuild.NodeLabel
	// match lists the keys by which a row without an id is matched to a node of the graph,
	// in order: "code" (credit code, industry code), "name", "name|date", "name|year",
	// "owner|round", "owner|kind". A key ending in "?" is tried only for a row that has no
	// value for the keys before it (a person without a birth year, by name alone).
	match []string
	tie   cobuild.TieType
	// dated ties are told apart by their since: the same two ends with another since is
	// another tie (a second period).
	dated bool
	cols  []col
}

func (k *kind) col(key string) *col {
	for i := range k.cols {
		if k.cols[i].key == key {
			return &k.cols[i]
		}
	}
	return nil
}

var (
	orgs     = []cobuild.NodeLabel{cobuild.LabelOrganization}
	persons  = []cobuild.NodeLabel{cobuild.LabelPerson}
	areas    = []cobuild.NodeLabel{cobuild.LabelArea}
	partyOrg = []cobuild.NodeLabel{cobuild.LabelPartyOrg}
)

func idCol() col {
	return col{key: "id", header: "编号", syn: []string{"ID", "系统编号", "标识"}, typ: cID}
}

func sinceCol(h string) col {
	return col{key: "since", header: h, syn: []string{"开始日期", "起始日期", "起始时间", "开始时间", "自"}, typ: cDate, prop: "since"}
}

func untilCol(h string) col {
	return col{key: "until", header: h, syn: []string{"结束日期", "终止日期", "截止日期", "结束时间", "至"}, typ: cDate, prop: "until"}
}

// kinds lists every kind of file, in the order an import writes them: what a row names
// comes before the row.
var kinds = []*kind{
	{name: "areas", title: "区域", aliases: []string{"镇街", "区域名录"}, node: cobuild.LabelArea, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "名称", syn: []string{"区域名称", "镇街名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "类型", syn: []string{"区域类型"}, typ: cEnum, enum: "AreaKind", req: true, prop: "kind"},
		{key: "inDistrict", header: "是否本区", syn: []string{"本区"}, typ: cBool, req: true, prop: "inDistrict"},
		{key: "parent", header: "上级区域", syn: []string{"所属区域", "上级"}, typ: cRef, labels: areas, link: &link{typ: cobuild.LocatedIn, out: true}},
	}},
	{name: "industries", title: "行业", aliases: []string{"行业分类", "产业"}, node: cobuild.LabelIndustry, match: []string{"code", "name"}, cols: []col{
		idCol(),
		{key: "code", header: "行业代码", syn: []string{"代码", "国民经济行业代码"}, typ: cText, req: true, prop: "code"},
		{key: "name", header: "行业名称", syn: []string{"名称"}, typ: cText, req: true, prop: "name"},
		{key: "leading", header: "主导产业", syn: []string{"是否主导产业"}, typ: cBool, prop: "leading"},
	}},
	{name: "organizations", title: "组织名录", aliases: []string{"企业名录", "社会组织名录", "登记名录", "registry"}, node: cobuild.LabelOrganization,
		match: []string{"code", "name"}, cols: []col{
			idCol(),
			{key: "creditCode", header: "统一社会信用代码", syn: []string{"信用代码", "社会信用代码", "统一代码"}, typ: cCredit, prop: "creditCode"},
			{key: "name", header: "名称", syn: []string{"单位名称", "企业名称", "组织名称", "机构名称"}, typ: cText, req: true, prop: "name"},
			{key: "kind", header: "类型", syn: []string{"组织类型", "单位类型", "主体类型"}, typ: cEnum, enum: "OrgKind", req: true, prop: "kind"},
			{key: "registeredOn", header: "登记日期", syn: []string{"成立日期", "注册日期", "登记时间"}, typ: cDate, prop: "registeredOn"},
			{key: "operating", header: "经营状态", syn: []string{"登记状态", "状态"}, typ: cEnum, enum: "operating", prop: "operating"},
			{key: "area", header: "所在镇街", syn: []string{"镇街", "所属镇街", "所在乡镇（街道）", "所在区域"}, typ: cRef, labels: areas,
				link: &link{typ: cobuild.LocatedIn, out: true}},
			{key: "park", header: "所在园区", syn: []string{"园区", "所属园区"}, typ: cRef, labels: areas, link: &link{typ: cobuild.InPark, out: true}},
			{key: "community", header: "所在社区", syn: []string{"社区", "所属社区"}, typ: cRef, labels: orgs, within: "area", link: &link{typ: cobuild.InCommunity, out: true}},
			{key: "industry", header: "行业代码", syn: []string{"行业", "所属行业", "国民经济行业代码"}, typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelIndustry},
				link: &link{typ: cobuild.InIndustry, out: true}},
			{key: "headcount", header: "从业人数", syn: []string{"职工人数", "员工人数", "人数"}, typ: cInt, req: true, prop: "headcount"},
			{key: "partyMembers", header: "党员人数", syn: []string{"正式党员数", "正式党员人数"}, typ: cInt, prop: "partyMembers"},
			{key: "aboveScale", header: "规上企业", syn: []string{"是否规上", "规模以上"}, typ: cBool, prop: "aboveScale"},
			{key: "lat", header: "纬度", syn: []string{"lat"}, typ: cFloat, prop: "lat"},
			{key: "lng", header: "经度", syn: []string{"lng", "lon"}, typ: cFloat, prop: "lng"},
		}},
	{name: "people", title: "人员", aliases: []string{"人员名册", "人才"}, node: cobuild.LabelPerson, match: []string{"name|year", "name?"}, cols: []col{
		idCol(),
		{key: "name", header: "姓名", syn: []string{"名字"}, typ: cText, req: true, prop: "name"},
		{key: "gender", header: "性别", typ: cEnum, enum: "gender", req: true, prop: "gender"},
		{key: "partyMember", header: "是否党员", syn: []string{"党员", "政治面貌"}, typ: cBool, prop: "partyMember"},
		{key: "birthYear", header: "出生年份", syn: []string{"出生年"}, typ: cInt, prop: "birthYear"},
	}},
	{name: "hubs", title: "联盟与红色地带", aliases: []string{"联盟", "党建联盟", "红色地带"}, node: "", match: []string{"name"}, cols: nil}, // filled in below
	{name: "party-orgs", title: "党组织", aliases: []string{"党组织名册", "党组织花名册"}, node: cobuild.LabelPartyOrg, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "党组织名称", syn: []string{"名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "党组织类型", syn: []string{"类型", "组织类型"}, typ: cEnum, enum: "PartyOrganizationKind", req: true, prop: "kind"},
		{key: "foundedOn", header: "成立日期", syn: []string{"组建日期", "成立时间"}, typ: cDate, prop: "foundedOn"},
		{key: "members", header: "党员人数", syn: []string{"党员数"}, typ: cInt, prop: "members"},
		{key: "owner", header: "所属单位", syn: []string{"单独组建单位", "依托单位", "所在单位"}, typ: cRef,
			labels: []cobuild.NodeLabel{cobuild.LabelOrganization, cobuild.LabelAlliance},
			link:   &link{typ: cobuild.HasPartyOrg, since: "ownSince", until: "ownUntil"}},
		{key: "ownSince", header: "建立日期", syn: []string{"单独组建日期"}, typ: cDate},
		{key: "ownUntil", header: "撤销日期", syn: []string{"撤销时间"}, typ: cDate},
	}},
	{name: "coverage", title: "党组织覆盖", aliases: []string{"覆盖", "联合党组织覆盖"}, tie: cobuild.CoveredBy, dated: true, cols: []col{
		{key: "org", header: "组织", syn: []string{"单位", "单位名称", "被覆盖单位", "统一社会信用代码"}, typ: cRef, labels: orgs, req: true, end: "from"},
		{key: "partyOrg", header: "党组织", syn: []string{"覆盖党组织", "党组织名称"}, typ: cRef, labels: partyOrg, req: true, end: "to"},
		{key: "mode", header: "覆盖方式", syn: []string{"方式"}, typ: cEnum, enum: "CoverMode", req: true, prop: "mode"},
		sinceCol("覆盖日期"), untilCol("终止日期"),
	}},
	{name: "assignments", title: "指导员与联络员", aliases: []string{"党建指导员", "选派"}, tie: cobuild.AssignedTo, dated: true, cols: []col{
		{key: "person", header: "人员", syn: []string{"姓名", "指导员", "人员编号"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "org", header: "组织", syn: []string{"单位", "单位名称", "联系单位"}, typ: cRef, labels: orgs, req: true, end: "to"},
		{key: "role", header: "角色", syn: []string{"身份"}, typ: cEnum, enum: "assignRole", req: true, prop: "role"},
		sinceCol("选派日期"), untilCol("撤回日期"),
	}},
	{name: "work", title: "任职", aliases: []string{"任职情况"}, tie: cobuild.WorksAt, dated: true, cols: []col{
		{key: "person", header: "人员", syn: []string{"姓名", "人员编号"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "org", header: "组织", syn: []string{"单位", "单位名称"}, typ: cRef, labels: orgs, req: true, end: "to"},
		{key: "role", header: "职务", syn: []string{"角色"}, typ: cEnum, enum: "workRole", req: true, prop: "role"},
		sinceCol("任职日期"), untilCol("离任日期"),
	}},
	{name: "memberships", title: "成员单位", aliases: []string{"联盟成员", "成员"}, tie: cobuild.MemberOf, dated: true, cols: []col{
		{key: "org", header: "组织", syn: []string{"单位", "成员单位", "单位名称"}, typ: cRef, labels: orgs, req: true, end: "from"},
		{key: "hub", header: "联盟或红色地带", syn: []string{"联盟", "所属联盟", "红色地带"}, typ: cRef,
			labels: []cobuild.NodeLabel{cobuild.LabelAlliance, cobuild.LabelRedZone}, req: true, end: "to"},
		{key: "role", header: "角色", syn: []string{"成员角色"}, typ: cEnum, enum: "MemberRole", req: true, prop: "role"},
		sinceCol("加入日期"), untilCol("退出日期"),
	}},
	{name: "agreements", title: "共建协议", aliases: []string{"协议"}, node: cobuild.LabelAgreement, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "协议名称", syn: []string{"名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "类型", typ: cEnum, enum: "agreementKind", req: true, prop: "kind"},
		{key: "signedOn", header: "签订日期", syn: []string{"签署日期"}, typ: cDate, prop: "signedOn"},
	}},
	{name: "agreement-parties", title: "协议各方", aliases: []string{"协议方"}, tie: cobuild.PartyTo, cols: []col{
		{key: "area", header: "区域", syn: []string{"协议方", "园区"}, typ: cRef, labels: areas, req: true, end: "from"},
		{key: "agreement", header: "协议", syn: []string{"协议名称"}, typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelAgreement}, req: true, end: "to"},
		sinceCol("加入日期"),
	}},
	{name: "co-building", title: "社区共建", aliases: []string{"共建", "双社联建", "社企联建"}, tie: cobuild.CoBuildsWith, dated: true, cols: []col{
		{key: "org", header: "组织", syn: []string{"单位", "单位名称"}, typ: cRef, labels: orgs, req: true, end: "from"},
		{key: "community", header: "社区", syn: []string{"共建社区"}, typ: cRef, labels: orgs, within: "org", req: true, end: "to"},
		{key: "mode", header: "共建方式", syn: []string{"方式"}, typ: cEnum, enum: "CoBuildMode", req: true, prop: "mode"},
		sinceCol("共建日期"), untilCol("终止日期"),
	}},
	{name: "events", title: "活动", aliases: []string{"活动记录"}, node: cobuild.LabelEvent, match: []string{"name|date"}, cols: []col{
		idCol(),
		{key: "name", header: "活动名称", syn: []string{"名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "活动类型", syn: []string{"类型"}, typ: cEnum, enum: "EventKind", req: true, prop: "kind"},
		{key: "date", header: "活动日期", syn: []string{"日期"}, typ: cDate, req: true, prop: "date"},
		{key: "personTimes", header: "服务人次", syn: []string{"人次"}, typ: cInt, prop: "personTimes"},
		{key: "hosts", header: "举办方", syn: []string{"主办单位", "举办单位"}, typ: cRefs,
			labels: []cobuild.NodeLabel{cobuild.LabelAlliance, cobuild.LabelAgreement, cobuild.LabelOrganization}, link: &link{typ: cobuild.Held}},
	}},
	{name: "attendance", title: "活动参加", aliases: []string{"参加活动"}, tie: cobuild.Attended, cols: []col{
		{key: "attendee", header: "参加者", syn: []string{"参加单位", "参加人员"}, typ: cRef,
			labels: []cobuild.NodeLabel{cobuild.LabelOrganization, cobuild.LabelAlliance, cobuild.LabelPerson}, req: true, end: "from"},
		{key: "event", header: "活动", syn: []string{"活动编号", "活动名称"}, typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelEvent}, req: true, end: "to"},
	}},
	{name: "mentoring", title: "师徒结对", aliases: []string{"红领导师", "导师结对"}, tie: cobuild.Mentors, dated: true, cols: []col{
		{key: "mentor", header: "导师", syn: []string{"导师姓名"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "mentee", header: "学员", syn: []string{"徒弟", "结对对象"}, typ: cRef, labels: persons, req: true, end: "to"},
		sinceCol("结对日期"), untilCol("结束日期"),
	}},
	{name: "placements", title: "政聘企培", aliases: []string{"政聘企培人才"}, tie: cobuild.PlacedAt, cols: []col{
		{key: "person", header: "人员", syn: []string{"姓名"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "org", header: "企业", syn: []string{"组织", "单位"}, typ: cRef, labels: orgs, req: true, end: "to"},
		sinceCol("入职日期"),
	}},
	{name: "apprenticeships", title: "新型学徒", aliases: []string{"学徒", "企业新型学徒制"}, tie: cobuild.ApprenticedAt, cols: []col{
		{key: "person", header: "学徒", syn: []string{"人员", "姓名"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "org", header: "企业", syn: []string{"组织", "单位"}, typ: cRef, labels: orgs, req: true, end: "to"},
		sinceCol("开始日期"),
	}},
	{name: "training", title: "学徒培养学校", aliases: []string{"培养学校"}, tie: cobuild.TrainedAt, cols: []col{
		{key: "person", header: "学徒", syn: []string{"人员", "姓名"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "school", header: "学校", syn: []string{"培养学校"}, typ: cRef, labels: orgs, req: true, end: "to"},
		sinceCol("开始日期"),
	}},
	{name: "secondments", title: "跟岗锻炼", aliases: []string{"挂职"}, tie: cobuild.SecondedTo, dated: true, cols: []col{
		{key: "person", header: "人员", syn: []string{"姓名"}, typ: cRef, labels: persons, req: true, end: "from"},
		{key: "area", header: "锻炼地", syn: []string{"区域", "挂职单位"}, typ: cRef, labels: areas, req: true, end: "to"},
		sinceCol("开始日期"), untilCol("结束日期"),
	}},
	{name: "certifications", title: "认证复核", aliases: []string{"红领认证", "认证"}, node: cobuild.LabelCertification, match: []string{"owner|kind"}, cols: []col{
		idCol(),
		{key: "holder", header: "人员", syn: []string{"姓名", "持有人"}, typ: cRef, labels: persons, req: true, link: &link{typ: cobuild.Holds}},
		{key: "kind", header: "认证类型", syn: []string{"类型"}, typ: cEnum, enum: "certKind", req: true, prop: "kind"},
		{key: "status", header: "认证状态", syn: []string{"状态", "复核结果"}, typ: cEnum, enum: "CertificationStatus", req: true, prop: "status"},
		{key: "reviewedOn", header: "复核日期", syn: []string{"审核日期"}, typ: cDate, req: true, prop: "reviewedOn"},
		{key: "certifiedOn", header: "认证日期", syn: []string{"通过日期"}, typ: cDate, prop: "certifiedOn"},
	}},
	{name: "mass-branches", title: "群团组织", aliases: []string{"群团", "工会团支部妇联"}, node: cobuild.LabelMassBranch, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "名称", syn: []string{"群团组织名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "类型", typ: cEnum, enum: "MassBranchKind", req: true, prop: "kind"},
		{key: "formedOn", header: "成立日期", syn: []string{"组建日期"}, typ: cDate, prop: "formedOn"},
		{key: "org", header: "所在单位", syn: []string{"组建单位", "单位"}, typ: cRef, labels: orgs, link: &link{typ: cobuild.FormedIn, out: true, since: "orgSince"}},
		{key: "orgSince", header: "组建日期（单位）", syn: []string{"入驻日期"}, typ: cDate},
		{key: "parent", header: "上级群团", syn: []string{"所属群团"}, typ: cRef, labels: orgs, link: &link{typ: cobuild.BranchOf, out: true}},
	}},
	{name: "recommendations", title: "群团推荐", aliases: []string{"推荐"}, tie: cobuild.Recommended, cols: []col{
		{key: "branch", header: "群团组织", syn: []string{"推荐组织"}, typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelMassBranch}, req: true, end: "from"},
		{key: "person", header: "被推荐人", syn: []string{"人员", "姓名"}, typ: cRef, labels: persons, req: true, end: "to"},
		{key: "on", header: "推荐日期", syn: []string{"日期"}, typ: cDate, prop: "on"},
	}},
	{name: "helped", title: "群团助建党组织", aliases: []string{"助建"}, tie: cobuild.HelpedForm, cols: []col{
		{key: "branch", header: "群团组织", typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelMassBranch}, req: true, end: "from"},
		{key: "partyOrg", header: "党组织", syn: []string{"党组织名称"}, typ: cRef, labels: partyOrg, req: true, end: "to"},
	}},
	{name: "belts", title: "示范带", aliases: []string{"党建示范带"}, node: cobuild.LabelDemoBelt, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "名称", syn: []string{"示范带名称"}, typ: cText, req: true, prop: "name"},
	}},
	{name: "demo-sites", title: "示范点", aliases: []string{"示范点位"}, node: cobuild.LabelDemoSite, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "名称", syn: []string{"示范点名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "类型", typ: cEnum, enum: "DemoSiteKind", req: true, prop: "kind"},
		{key: "designatedOn", header: "命名日期", syn: []string{"认定日期"}, typ: cDate, prop: "designatedOn"},
		{key: "org", header: "所在单位", syn: []string{"单位"}, typ: cRef, labels: orgs, link: &link{typ: cobuild.Designated, since: "orgSince"}},
		{key: "orgSince", header: "命名起始", syn: []string{"挂牌日期"}, typ: cDate},
		{key: "belt", header: "所属示范带", syn: []string{"示范带"}, typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelDemoBelt}, link: &link{typ: cobuild.OnBelt, out: true}},
	}},
	{name: "brands", title: "党建品牌", aliases: []string{"品牌"}, node: cobuild.LabelBrand, match: []string{"name"}, cols: []col{
		idCol(),
		{key: "name", header: "名称", syn: []string{"品牌名称"}, typ: cText, req: true, prop: "name"},
		{key: "kind", header: "类型", typ: cEnum, enum: "BrandKind", req: true, prop: "kind"},
		{key: "owner", header: "所属单位", syn: []string{"单位"}, typ: cRefs, labels: orgs, link: &link{typ: cobuild.OwnsBrand}},
	}},
	{name: "evaluations", title: "评星定级", aliases: []string{"测评", "星级评定", "评分表"}, node: cobuild.LabelEvaluation, match: []string{"owner|round"}, cols: nil}, // filled in below
}

func init() {
	for _, k := range kinds {
		switch k.name {
		case "hubs":
			k.node = "Hub"
			k.cols = []col{
				idCol(),
				{key: "name", header: "名称", syn: []string{"联盟名称"}, typ: cText, req: true, prop: "name"},
				{key: "kind", header: "类型", typ: cEnum, enum: "hubKind", req: true, prop: "kind"},
				{key: "foundedOn", header: "成立日期", typ: cDate, prop: "foundedOn"},
				{key: "industry", header: "行业代码", syn: []string{"行业"}, typ: cRef, labels: []cobuild.NodeLabel{cobuild.LabelIndustry},
					link: &link{typ: cobuild.InIndustry, out: true}},
			}
		case "evaluations":
			k.cols = []col{
				idCol(),
				{key: "partyOrg", header: "党组织", syn: []string{"党组织名称", "被测评党组织"}, typ: cRef, labels: partyOrg, req: true, link: &link{typ: cobuild.Evaluated}},
				{key: "round", header: "测评轮次", syn: []string{"轮次"}, typ: cRound, req: true, prop: "round"},
				{key: "roundDate", header: "测评日期", syn: []string{"日期"}, typ: cDate, prop: "roundDate"},
			}
			for _, g := range scoreGroups {
				for d, dim := range cobuild.Dimensions {
					k.cols = append(k.cols, col{key: g.key + "." + dim.Key, header: g.label + "-" + dim.Label, syn: []string{g.label + dim.Label},
						typ: cScore, req: true, group: g.key, dim: d})
				}
			}
			k.cols = append(k.cols, col{key: "score", header: "总分", syn: []string{"最终得分", "得分"}, typ: cFloat, computed: true})
		}
	}
}

// scoreGroups are the three evaluator groups of an evaluation sheet.
var scoreGroups = []struct{ key, label string }{{"self", "自评"}, {"public", "群众评议"}, {"committee", "考评委员会"}}

// hubLabels are the labels of the hubs sheet's rows: alliances and red zones, told apart by
// their kind.
var hubLabel = map[string]cobuild.NodeLabel{
	"WORKING_COMMITTEE": cobuild.LabelAlliance, "INDUSTRY_COMMITTEE": cobuild.LabelAlliance,
	"CLUSTER_ALLIANCE": cobuild.LabelAlliance, "HOSPITAL_ALLIANCE": cobuild.LabelAlliance,
	"BUSINESS_CIRCLE": cobuild.LabelRedZone, "BLOCK": cobuild.LabelRedZone,
}

// enums of columns that are not enums of the API: code → the labels accepted, the first
// being the one written.
var localEnums = map[string]map[string][]string{
	// The words an export writes first (cobuild.BoolLabels), then those registries use.
	"operating": {"true": {cobuild.BoolLabels["Organization.operating"][1], "存续", "开业", "正常", "在业"},
		"false": {cobuild.BoolLabels["Organization.operating"][0], "吊销", "停业", "歇业", "迁出", "撤销"}},
	"gender":        {"F": {"女"}, "M": {"男"}},
	"assignRole":    {"INSTRUCTOR": {"党建工作指导员", "指导员", "党建指导员"}, "LIAISON": {"联络员"}},
	"workRole":      {"PARTY_WORKER": {"党务工作者"}, "SECRETARY": {"党组织书记", "书记"}, "STAFF": {"职工", "员工"}},
	"agreementKind": {"PARK_CO_BUILDING": {"园区共建协议", "园区共建"}},
	"certKind":      {"RED_LEADER": {"红领导师", "红领"}},
	"hubKind": {"WORKING_COMMITTEE": {"区委非公工委"}, "INDUSTRY_COMMITTEE": {"行业综合党委"}, "CLUSTER_ALLIANCE": {"产业集群党建联盟"},
		"HOSPITAL_ALLIANCE": {"民办医院党建联盟"}, "BUSINESS_CIRCLE": {"红色商圈"}, "BLOCK": {"红色街区"}},
}

// enumSynonyms are labels accepted besides the API's own (cobuild.Label), by enum.
var enumSynonyms = map[string]map[string][]string{
	"OrgKind": {"ENTERPRISE": {"企业", "非公有制企业", "民营企业"}, "SOCIAL_ORG": {"社会团体", "民办非企业单位", "基金会"},
		"HOSPITAL": {"民营医院"}, "DEPARTMENT": {"部门", "主管部门"}, "MASS_ORG": {"群团"}},
	"AreaKind":              {"TOWN": {"镇", "乡"}, "SUBDISTRICT": {"街"}, "DISTRICT": {"县区"}, "PARK": {"开发区", "高新区"}},
	"CoverMode":             {"JOINT": {"联建", "联合"}, "REGIONAL": {"区域"}, "INDUSTRY": {"行业"}},
	"CoBuildMode":           {"SHUANGSHE": {"双社"}, "SHEQI": {"社企"}},
	"MemberRole":            {"MEMBER": {"成员"}, "COUNCIL": {"理事"}, "CHAIR": {"牵头", "主席单位"}},
	"PartyOrganizationKind": {"COMMITTEE": {"党委员会"}, "INDUSTRY": {"行业党委"}},
	"CertificationStatus":   {"CERTIFIED": {"通过", "是"}, "NOT_CERTIFIED": {"未通过", "否"}},
}

// kindByName returns the kind of a sheet or file name, by its English or Chinese name or an
// alias.
func kindByName(name string) *kind {
	for _, k := range kinds {
		if name == k.name || name == k.title {
			return k
		}
		for _, a := range k.aliases {
			if name == a {
				return k
			}
		}
	}
	return nil
}

// Kinds lists the names of the kinds of file, in the order an import writes them.
func Kinds() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.name
	}
	return out
}

// Markdown describes every kind of file as docs/import.md lists them: its Chinese and
// English names, then each column with its header, the synonyms accepted and what it takes.
func Markdown() string {
	var b strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&b, "### %s `%s`\n\n", k.title, k.name)
		if len(k.aliases) > 0 {
			fmt.Fprintf(&b, "Also named: %s. ", strings.Join(k.aliases, "、"))
		}
		switch {
		case k.node == "Hub":
			b.WriteString("Rows are alliances and red zones (by their kind), matched by id, else by name.\n\n")
		case k.node != "":
			var keys []string
			for _, m := range k.match {
				if m, ok := strings.CutSuffix(m, "?"); ok {
					keys = append(keys, m+" when the row has none of those")
				} else {
					keys = append(keys, m)
				}
			}
			fmt.Fprintf(&b, "Rows are `%s` nodes, matched by id, else by %s.\n\n", k.node, strings.Join(keys, ", then "))
		default:
			how := "its two ends"
			if k.dated {
				how = "its two ends and its start"
			}
			fmt.Fprintf(&b, "Rows are `%s` ties, told apart by %s; an import adds and updates them, never removes.\n\n", k.tie, how)
		}
		b.WriteString("| column | synonyms | takes |\n|---|---|---|\n")
		for _, c := range k.cols {
			syn := strings.Join(c.syn, "、")
			if syn == "" {
				syn = "—"
			}
			fmt.Fprintf(&b, "| %s (`%s`) | %s | %s |\n", c.header, c.key, syn, strings.ReplaceAll(c.hint(), "|", "\\|"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// KindInfo describes a kind of file for clients: its names and its columns.
type KindInfo struct {
	Name, Title string
	Columns     []ColumnInfo
}

// ColumnInfo describes a column of a kind of file.
type ColumnInfo struct {
	Header, Key, Hint string
	Synonyms          []string
	Required          bool
}

// Describe lists the kinds of file, in the order an import writes them.
func Describe() []KindInfo {
	out := make([]KindInfo, len(kinds))
	for i, k := range kinds {
		out[i] = KindInfo{Name: k.name, Title: k.title}
		for _, c := range k.cols {
			out[i].Columns = append(out[i].Columns, ColumnInfo{Header: c.header, Key: c.key, Hint: c.hint(),
				Synonyms: append([]string{}, c.syn...), Required: c.req})
		}
	}
	return out
}
