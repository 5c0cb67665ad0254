package cobuild

import (
	"slices"
	"time"
)

// TieType is the type of a tie, which is also the type of its relationship in the graph
// (docs/graph-model.md). Every tie type of the product is one of the constants below; a
// store makes a tie type part of a statement only after checking it is one of them.
type TieType string

// The tie types.
const (
	// Places.
	LocatedIn   TieType = "LOCATED_IN"   // Organization → town or subdistrict; Area → district
	InPark      TieType = "IN_PARK"      // Organization → park
	InCommunity TieType = "IN_COMMUNITY" // Organization → the community whose patch it is on
	InIndustry  TieType = "IN_INDUSTRY"  // Organization, committee or cluster alliance → Industry

	// Coverage.
	HasPartyOrg TieType = "HAS_PARTY_ORG" // Organization or Alliance → its own PartyOrg
	CoveredBy   TieType = "COVERED_BY"    // Organization → joint, regional or industry PartyOrg {mode}
	AssignedTo  TieType = "ASSIGNED_TO"   // Person → Organization {role: INSTRUCTOR | LIAISON}
	FormedIn    TieType = "FORMED_IN"     // MassBranch → Organization

	// Joint building.
	MemberOf      TieType = "MEMBER_OF"      // Organization → Alliance or RedZone {role}
	PartyTo       TieType = "PARTY_TO"       // Area → Agreement
	CoBuildsWith  TieType = "CO_BUILDS_WITH" // Organization → Community {mode}
	Attended      TieType = "ATTENDED"       // Organization, Alliance or Person → Event
	Held          TieType = "HELD"           // Alliance, Agreement or Organization → Event
	Mentors       TieType = "MENTORS"        // Person → Person
	PlacedAt      TieType = "PLACED_AT"      // Person → Organization (政聘企培)
	ApprenticedAt TieType = "APPRENTICED_AT" // Person → Organization (企业新型学徒制)
	TrainedAt     TieType = "TRAINED_AT"     // Person → School that trains the apprentice

	// The rest.
	WorksAt     TieType = "WORKS_AT"    // Person → Organization {role}
	SecondedTo  TieType = "SECONDED_TO" // Person → Area
	Holds       TieType = "HOLDS"       // Person → Certification
	BranchOf    TieType = "BRANCH_OF"   // MassBranch → district mass organisation
	Recommended TieType = "RECOMMENDED" // MassBranch → Person
	HelpedForm  TieType = "HELPED_FORM" // MassBranch → PartyOrg
	Designated  TieType = "DESIGNATED"  // Organization → DemoSite
	OnBelt      TieType = "ON_BELT"     // DemoSite → DemoBelt
	OwnsBrand   TieType = "OWNS_BRAND"  // Organization → Brand
	Evaluated   TieType = "EVALUATED"   // PartyOrg → Evaluation
)

// TieTypes lists every tie type.
var TieTypes = []TieType{LocatedIn, InPark, InCommunity, InIndustry, HasPartyOrg, CoveredBy, AssignedTo, FormedIn,
	MemberOf, PartyTo, CoBuildsWith, Attended, Held, Mentors, PlacedAt, ApprenticedAt, TrainedAt,
	WorksAt, SecondedTo, Holds, BranchOf, Recommended, HelpedForm, Designated, OnBelt, OwnsBrand, Evaluated}

// Known reports whether t is one of the tie types.
func (t TieType) Known() bool { return slices.Contains(TieTypes, t) }

// JointTies are the joint-building ties: what the network follows by default and what
// decides isolation. Work (WORKS_AT) counts only for people in a mentorship in force: it
// is what ties a mentor's or mentee's organisation into the network (see MentorWork).
var JointTies = []TieType{MemberOf, CoBuildsWith, Attended, Held, Mentors, WorksAt, PlacedAt, ApprenticedAt, TrainedAt, PartyTo}

// CoverageTies may be followed as well as the joint ties: the joint, regional and industry
// party organisations that cover organisations, and the instructors and liaisons assigned.
var CoverageTies = []TieType{CoveredBy, AssignedTo}

// NetworkTies are the tie types a network projection may follow.
var NetworkTies = append(slices.Clone(JointTies), CoverageTies...)

// Joint reports whether t is a joint-building tie.
func (t TieType) Joint() bool { return slices.Contains(JointTies, t) }

// InForce reports whether a tie dated since..until holds on a day: it has begun (since is
// unset or not after the day) and not ended (until is unset or after the day). This is the
// one definition of "in force"; the store's Cypher form is neo4jstore.inForce, and a test
// holds the two together on a drawn graph.
func InForce(since, until *time.Time, day time.Time) bool {
	return (since == nil || !since.After(day)) && (until == nil || until.After(day))
}

// InForce reports whether the tie holds on the given day.
func (t Tie) InForce(day time.Time) bool { return InForce(t.Since, t.Until, day) }

// Direction says which way a tie is followed from the node asked about.
type Direction int

// The directions of a tie.
const (
	Out Direction = iota
	In
	Both
)

// NodeLabel is the main label of a node in the graph; ids name it by their prefix (LabelOf).
type NodeLabel string

// The node labels.
const (
	LabelArea          NodeLabel = "Area"
	LabelIndustry      NodeLabel = "Industry"
	LabelOrganization  NodeLabel = "Organization"
	LabelPartyOrg      NodeLabel = "PartyOrg"
	LabelAlliance      NodeLabel = "Alliance"
	LabelAgreement     NodeLabel = "Agreement"
	LabelRedZone       NodeLabel = "RedZone"
	LabelDemoBelt      NodeLabel = "DemoBelt"
	LabelDemoSite      NodeLabel = "DemoSite"
	LabelBrand         NodeLabel = "Brand"
	LabelEvent         NodeLabel = "Event"
	LabelPerson        NodeLabel = "Person"
	LabelCertification NodeLabel = "Certification"
	LabelMassBranch    NodeLabel = "MassBranch"
	LabelEvaluation    NodeLabel = "Evaluation"
)

// Labels lists every node label, each with the id prefix of its nodes.
var Labels = []struct {
	Label  NodeLabel
	Prefix string
}{
	{LabelArea, "ar"}, {LabelIndustry, "in"}, {LabelOrganization, "og"}, {LabelPartyOrg, "po"}, {LabelAlliance, "al"},
	{LabelAgreement, "ag"}, {LabelRedZone, "rz"}, {LabelDemoBelt, "db"}, {LabelDemoSite, "ds"}, {LabelBrand, "br"},
	{LabelEvent, "ev"}, {LabelPerson, "pe"}, {LabelCertification, "ce"}, {LabelMassBranch, "mb"}, {LabelEvaluation, "es"},
}

// KindLabel is the second label of an organisation of a kind (Organization:Enterprise...).
func (k OrgKind) KindLabel() string {
	return orgKindLabels[k]
}

var orgKindLabels = map[OrgKind]string{
	OrgEnterprise: "Enterprise", OrgSocial: "SocialOrg", OrgHospital: "Hospital", OrgSchool: "School",
	OrgCommunity: "Community", OrgDepartment: "Department", OrgMass: "MassOrg",
}

// OrgKinds lists every organisation kind.
var OrgKinds = []OrgKind{OrgEnterprise, OrgSocial, OrgHospital, OrgSchool, OrgCommunity, OrgDepartment, OrgMass}
