package cobuild

// The Chinese column headers and cell values of the district's files: the exports of any
// list (package export) write them, and the import of the organisation registry reads
// them. One table for both, so that an exported registry reads back as it was written.
//
// A column's header is found, for a field F of a GraphQL type T (the type the field is
// selected on), by these rules in order (package export applies them):
//
//  1. the export request's own header for the column, when it gives one (export.Request.Headers);
//  2. FieldLabels["T.F"], then FieldLabels["I.F"] for each interface I that T implements;
//  3. the first parenthesised Chinese words of the field's description in the schema, up
//     to a comma ("Its staff (从业人数) now." gives 从业人数);
//  4. the field's name as the schema spells it.
//
// An alias in the query follows the label in brackets (`now: coverage` gives 覆盖（now）),
// or stands for an empty label. A field of a nested object is headed by the object's label
// followed by its own, with no separator when both are Chinese ("行业" + "代码" = 行业代码)
// and "." otherwise; a nested object's `name` is the object itself, so `area { name }` is
// headed 所在镇街 alone; an object labelled "" lends its fields no prefix (`location { lat
// lng }` gives 纬度, 经度). A header met again is numbered: 覆盖状态（2）.
//
// Values: an enum value is written by its label (KindLabels for OrgKind, else the API's
// enum labels, Label); a Boolean as 是 or 否, or by BoolLabels of its field; a Date as
// YYYY-MM-DD; a list's values joined by ListSeparator.

// FieldLabels are the Chinese headers of fields, keyed "Type.field" as the schema spells
// them. The organisation registry's columns (RegistryColumns) are among them and must not
// change: the import reads files by these headers.
var FieldLabels = map[string]string{
	// An organisation: the registry's columns first.
	"Organization.id":           "编号",
	"Organization.creditCode":   "统一社会信用代码",
	"Organization.name":         "名称",
	"Organization.kind":         "类型",
	"Organization.registeredOn": "登记日期",
	"Organization.operating":    "经营状态",
	"Organization.area":         "所在镇街",
	"Organization.park":         "所在园区",
	"Organization.community":    "所在社区",
	"Organization.industry":     "行业",
	"Organization.headcount":    "从业人数",
	"Organization.partyMembers": "党员人数",
	"Organization.aboveScale":   "规上企业",
	"Organization.location":     "",
	"GeoPoint.lat":              "纬度",
	"GeoPoint.lng":              "经度",
	"Industry.code":             "代码",
	// The rest of an organisation.
	"Organization.kindLabel":          "类型名称",
	"Organization.sector":             "领域",
	"Organization.sizeBand":           "规模",
	"Organization.version":            "版本",
	"Organization.coverage":           "",
	"Organization.coverageCandidates": "候选覆盖方",
	"Organization.partyOrganizations": "党组织",
	"Organization.coveredBy":          "覆盖党组织",
	"Organization.people":             "人员",
	"Organization.memberships":        "所属联盟",
	"Organization.coBuilds":           "社区共建",
	"Organization.events":             "活动",
	"Organization.massBranches":       "群团组织",
	"Organization.demoSites":          "示范点",
	"Organization.brands":             "党建品牌",
	"Organization.latestEvaluation":   "最新测评",
	"Coverage.asOf":                   "覆盖日期",
	"Coverage.status":                 "覆盖状态",
	"Coverage.statusLabel":            "覆盖状态",
	"Coverage.isolated":               "孤立",
	"Coverage.shouldHaveOwn":          "应建未建",
	"Coverage.reason":                 "原因（英文）",
	"Coverage.reasonLabel":            "原因",
	"CoverageCandidate.rank":          "排名",
	"CoverageCandidate.node":          "",
	"CoverageCandidate.score":         "得分",
	"CoverageCandidate.reasonLabels":  "理由",
	"NetworkNode.id":                  "编号",
	"NetworkNode.name":                "名称",
	"NetworkNode.label":               "节点类别",
	"NetworkNode.kind":                "类型",
	// Places and industries.
	"Area.id":          "编号",
	"Area.name":        "名称",
	"Area.kind":        "类型",
	"Area.kindLabel":   "类型名称",
	"Area.inDistrict":  "区内",
	"Industry.id":      "编号",
	"Industry.name":    "名称",
	"Industry.leading": "主导产业",
	// Party organisations and evaluations.
	"PartyOrganization.id":               "编号",
	"PartyOrganization.name":             "名称",
	"PartyOrganization.kind":             "类型",
	"PartyOrganization.kindLabel":        "类型名称",
	"PartyOrganization.foundedOn":        "成立日期",
	"PartyOrganization.members":          "党员人数",
	"PartyOrganization.organization":     "所在组织",
	"PartyOrganization.latestEvaluation": "最新测评",
	"Evaluation.id":                      "编号",
	"Evaluation.round":                   "测评轮次",
	"Evaluation.score":                   "得分",
	"Evaluation.tier":                    "等次",
	"Evaluation.stars":                   "星级",
	"Evaluation.selfTotal":               "自评得分",
	"Evaluation.committeeTotal":          "复评得分",
	"Evaluation.partyOrganization":       "党组织",
	// People.
	"Person.id":          "编号",
	"Person.name":        "姓名",
	"Person.gender":      "性别",
	"Person.partyMember": "党员",
	"Person.birthYear":   "出生年份",
	// Aggregates: coverage.
	"CoverageStats.asOf":              "统计日期",
	"CoverageGroup.keys":              "分组",
	"CoverageGroup.organizations":     "组织数",
	"CoverageGroup.operating":         "在营数",
	"CoverageGroup.own":               "单独建立党组织数",
	"CoverageGroup.joint":             "联合覆盖数",
	"CoverageGroup.work":              "工作覆盖数",
	"CoverageGroup.uncovered":         "未覆盖数",
	"CoverageGroup.isolated":          "孤立数",
	"CoverageGroup.isolatedUncovered": "孤立且未覆盖数",
	"CoverageGroup.shouldHaveOwn":     "应建未建数",
	"CoverageGroup.coverageRate":      "覆盖率",
	"CoverageGroup.ownRate":           "单独建立率",
	"GroupKey.dimension":              "维度",
	"GroupKey.value":                  "编号",
	"GroupKey.label":                  "名称",
	// Aggregates: grading.
	"TierCount.tier":  "等次",
	"TierCount.label": "等次名称",
	"TierCount.count": "数量",
	"StarCount.tier":  "等次",
	"StarCount.stars": "星级",
	"StarCount.count": "数量",
}

// KindLabels are the Chinese names of the kinds of organisation in the district's files
// (the registry's 类型 column), by OrgKind value. They are the registry's own words, shorter
// than the API's labels (enumLabels: 非公企业, 行业主管部门).
var KindLabels = map[string]string{
	"ENTERPRISE": "企业",
	"SOCIAL_ORG": "社会组织",
	"HOSPITAL":   "民办医院",
	"SCHOOL":     "学校",
	"COMMUNITY":  "社区",
	"DEPARTMENT": "部门",
	"MASS_ORG":   "群团组织",
}

// BoolLabels are the words of Boolean fields written otherwise than 是 / 否, keyed
// "Type.field": index 0 is false, 1 true.
var BoolLabels = map[string][2]string{
	"Organization.operating": {"注销", "在营"},
}

// Yes and No are a Boolean's words in the district's files unless BoolLabels says otherwise.
const (
	Yes = "是"
	No  = "否"
)

// ListSeparator joins the values of a list in one cell (a full-width semicolon, which no
// name of the district holds).
const ListSeparator = "；"

// DateLayout is how dates are written: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// RegistryColumns are the headers of the organisation registry, in its order, as
// RegistryQuery exports them and the import reads them; each is the header of the field
// beside it.
var RegistryColumns = []struct{ Header, Field string }{
	{"编号", "id"},
	{"统一社会信用代码", "creditCode"},
	{"名称", "name"},
	{"类型", "kind"},
	{"登记日期", "registeredOn"},
	{"经营状态", "operating"},
	{"所在镇街", "area.name"},
	{"所在园区", "park.name"},
	{"所在社区", "community.name"},
	{"行业代码", "industry.code"},
	{"从业人数", "headcount"},
	{"党员人数", "partyMembers"},
	{"规上企业", "aboveScale"},
	{"纬度", "location.lat"},
	{"经度", "location.lng"},
}

// RegistryQuery exports the organisation registry in RegistryColumns' order; without
// `first` the export holds every organisation the caller may read (an officer's: those of
// their areas), by name.
const RegistryQuery = `query Registry($where: OrganizationWhere, $first: Int) {
  organizations(where: $where, first: $first, sort: {field: NAME, direction: ASC}) {
    nodes {
      id creditCode name kind registeredOn operating
      area { name } park { name } community { name } industry { code }
      headcount partyMembers aboveScale location { lat lng }
    }
  }
}`
