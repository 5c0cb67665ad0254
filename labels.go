package cobuild

import "sort"

// enumLabels gives the Chinese label of every value of every enum of the API, by enum name
// as the schema spells it.
var enumLabels = map[string]map[string]string{
	"OrgKind": {"ENTERPRISE": "非公企业", "SOCIAL_ORG": "社会组织", "HOSPITAL": "民办医院", "SCHOOL": "学校",
		"COMMUNITY": "社区", "DEPARTMENT": "行业主管部门", "MASS_ORG": "群团组织"},
	"GroupDimension": {"AREA": "镇街", "PARK": "园区", "COMMUNITY": "社区", "INDUSTRY": "行业", "KIND": "组织类型",
		"SECTOR": "领域", "SIZE_BAND": "规模", "ABOVE_SCALE": "规上与否"},
	"Sector":         {"ENTERPRISE": "非公企业", "SOCIAL": "社会组织", "PUBLIC": "公共机构"},
	"SizeBand":       {"MICRO": "微型（10人以下）", "SMALL": "小型（10–99人）", "MEDIUM": "中型（100–299人）", "LARGE": "大型（300人以上）"},
	"CoverageStatus": {"OWN": "单独建立党组织", "JOINT": "联合/区域/行业党组织覆盖", "WORK": "工作覆盖", "UNCOVERED": "未覆盖", "NOT_MANAGED": "不属于管理范围"},
	"CoverageEventKind": {"BECAME_ISOLATED": "成为孤岛", "JOINED_NETWORK": "不再孤立", "BECAME_UNCOVERED": "失去覆盖",
		"REGAINED_COVERAGE": "恢复覆盖", "GAINED_OWN_PARTY_ORGANIZATION": "单独组建党组织", "LOST_OWN_PARTY_ORGANIZATION": "失去党组织"},
	"Tier":                {"GOLD": "金色示范型", "SILVER": "银色扶优型", "BRONZE": "铜色基础型", "WEAK": "软弱涣散"},
	"RoundStatus":         {"OPEN": "测评中", "FINALISED": "已定级"},
	"EvaluatorGroup":      {"SELF": "组织自评", "PUBLIC": "党员群众测评", "COMMITTEE": "党(工)委复评"},
	"RectificationStatus": {"NOT_STARTED": "未启动", "IN_PROGRESS": "整改中", "RECTIFIED": "已整改"},
	"CoverMode":           {"JOINT": "联合党支部", "REGIONAL": "区域党组织", "INDUSTRY": "行业党组织"},
	"PersonTieType":       {"ASSIGNED_TO": "选派", "WORKS_AT": "任职", "PLACED_AT": "政聘企培", "APPRENTICED_AT": "企业新型学徒制", "TRAINED_AT": "学徒培养学校"},
	"PersonTieRole": {"INSTRUCTOR": "党建工作指导员", "LIAISON": "联络员", "PARTY_WORKER": "党务工作者", "SECRETARY": "党组织书记",
		"STAFF": "职工"},
	"MemberRole":  {"MEMBER": "成员单位", "COUNCIL": "理事单位", "CHAIR": "牵头单位"},
	"CoBuildMode": {"SHUANGSHE": "双社联建", "SHEQI": "社企联建"},
	"PartyOrganizationKind": {"BRANCH": "党支部", "GENERAL_BRANCH": "党总支", "COMMITTEE": "党委", "JOINT_BRANCH": "联合党支部",
		"REGIONAL": "区域党组织", "INDUSTRY": "行业综合党委"},
	"AllianceKind": {"WORKING_COMMITTEE": "区委非公工委", "INDUSTRY_COMMITTEE": "行业综合党委", "CLUSTER_ALLIANCE": "产业集群党建联盟",
		"HOSPITAL_ALLIANCE": "民办医院党建联盟"},
	"RedZoneKind": {"BUSINESS_CIRCLE": "红色商圈", "BLOCK": "红色街区"},
	"HubKind": {"WORKING_COMMITTEE": "区委非公工委", "INDUSTRY_COMMITTEE": "行业综合党委", "CLUSTER_ALLIANCE": "产业集群党建联盟",
		"HOSPITAL_ALLIANCE": "民办医院党建联盟", "AGREEMENT": "园区共建协议", "BUSINESS_CIRCLE": "红色商圈", "BLOCK": "红色街区",
		"BELT": "示范带"},
	"CoverageGroupSortField": {"ORGANIZATIONS": "组织数", "OPERATING": "在营数", "UNCOVERED": "未覆盖数",
		"ISOLATED_UNCOVERED": "孤立且未覆盖数", "SHOULD_HAVE_OWN": "应建未建数", "COVERAGE_RATE": "覆盖率", "OWN_RATE": "单独建立率",
		"LABEL": "名称"},
	"DemoSiteKind": {"PARTY_MASS": "党群工作示范点", "PROVINCIAL": "省级示范点", "BELT_POINT": "示范带示范点"},
	"BrandKind":    {"BRAND": "党建品牌", "STUDY_ROUTE": "精品研学游线"},
	"EventKind": {"PARK_EXCHANGE": "园区党建交流活动", "JOINT_MEETING": "党建联席会议", "JOINT_ACTIVITY": "联合活动",
		"COMMUNITY_JOINT_MEETING": "社区党建联席会议", "EPIDEMIC_SERVICE": "疫情防控与疫苗接种", "DELTA_TRAINING": "长三角培训",
		"PARTY_MASS_MEETING": "党群工作例会"},
	"PersonRole": {"INSTRUCTOR": "党建工作指导员", "LIAISON": "联络员", "MENTOR": "红领导师", "RECRUIT": "政聘企培人才",
		"APPRENTICE": "新型学徒", "PARTY_WORKER": "党务工作者", "SECONDED": "跟岗锻炼"},
	"SortDirection":         {"ASC": "升序", "DESC": "降序"},
	"OrganizationSortField": {"NAME": "名称", "HEADCOUNT": "从业人数", "PARTY_MEMBERS": "正式党员数", "REGISTERED_ON": "登记日期", "TIES": "共建联系数", "SCORE": "最新测评得分"},
	"EvaluationSortField":   {"SCORE": "得分", "ROUND": "测评轮次"},
	"CertificationStatus":   {"CERTIFIED": "已认证", "NOT_CERTIFIED": "未认证"},
	"ImportChange": {"NODE_CREATED": "新增节点", "NODE_UPDATED": "更新节点", "TIE_CREATED": "新增联系",
		"TIE_UPDATED": "更新联系", "TIE_REMOVED": "移除联系"},
	"Role":           {"ADMIN": "管理员", "ANALYST": "分析员", "OFFICER": "镇街园区工作人员", "VIEWER": "查看者"},
	"MassBranchKind": {"UNION": "工会", "YOUTH_LEAGUE": "共青团", "WOMENS_FEDERATION": "妇联"},
	"AreaKind":       {"DISTRICT": "区", "TOWN": "乡镇", "SUBDISTRICT": "街道", "PARK": "园区"},
	"NetworkTieType": {"MEMBER_OF": "联盟/委员会成员", "CO_BUILDS_WITH": "社区共建", "ATTENDED": "参加活动", "HELD": "举办活动",
		"MENTORS": "红领导师结对", "WORKS_AT": "任职", "PLACED_AT": "政聘企培", "APPRENTICED_AT": "企业新型学徒制",
		"TRAINED_AT": "学徒培养学校", "PARTY_TO": "共建协议", "COVERED_BY": "党组织覆盖", "ASSIGNED_TO": "选派指导员/联络员"},
}

// Label returns the Chinese label of an enum value, or the value itself when it has none.
func Label(enum, value string) string {
	if l, ok := enumLabels[enum][value]; ok {
		return l
	}
	return value
}

// EnumLabel is one enum value with its label.
type EnumLabel struct {
	Enum  string
	Value string
	Label string
}

// EnumLabels lists the labelled values of one enum, or of every enum when enum is "",
// ordered by enum and value.
func EnumLabels(enum string) []EnumLabel {
	var out []EnumLabel
	for e, values := range enumLabels {
		if enum != "" && e != enum {
			continue
		}
		for v, l := range values {
			out = append(out, EnumLabel{Enum: e, Value: v, Label: l})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Enum != out[j].Enum {
			return out[i].Enum < out[j].Enum
		}
		return out[i].Value < out[j].Value
	})
	return out
}
