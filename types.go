// Package cobuild holds the domain of a district's joint-building network: its entities and
// ties, the rules that derive coverage, isolation, tiers and stars, and the interface of the
// store that serves them. It imports no database driver.
package cobuild

import "time"

// OrgKind is the kind of an organisation; each kind is also a label of its node.
type OrgKind string

// The organisation kinds.
const (
	OrgEnterprise OrgKind = "ENTERPRISE"
	OrgSocial     OrgKind = "SOCIAL_ORG"
	OrgHospital   OrgKind = "HOSPITAL"
	OrgSchool     OrgKind = "SCHOOL"
	OrgCommunity  OrgKind = "COMMUNITY"
	OrgDepartment OrgKind = "DEPARTMENT"
	OrgMass       OrgKind = "MASS_ORG"
)

// Sector says whether an organisation is managed as a non-public enterprise, as a social
// organisation, or is a public body.
type Sector string

// The sectors; only ENTERPRISE and SOCIAL are managed.
const (
	SectorEnterprise Sector = "ENTERPRISE"
	SectorSocial     Sector = "SOCIAL"
	SectorPublic     Sector = "PUBLIC"
)

// ManagedSectors are the sectors that coverage, isolation and the official rates count.
var ManagedSectors = []Sector{SectorEnterprise, SectorSocial}

// Organization is any organisation of the network.
type Organization struct {
	ID           string
	Name         string
	Kind         OrgKind
	Sector       Sector
	CreditCode   *string
	Headcount    int
	PartyMembers int
	AboveScale   bool
	Operating    bool
	RegisteredOn *time.Time
	Lat, Lng     *float64
	// Version is the sequence number of the last change that touched it (0 for none).
	Version int64
}

// SizeBand groups organisations by headcount.
type SizeBand string

// The size bands.
const (
	SizeMicro  SizeBand = "MICRO"  // fewer than 10
	SizeSmall  SizeBand = "SMALL"  // 10-99
	SizeMedium SizeBand = "MEDIUM" // 100-299
	SizeLarge  SizeBand = "LARGE"  // 300 and more
)

// sizeBands are the bands' headcounts [lo, hi); hi 0 has no upper bound. SizeBandOf and
// the store's size filter both read this table.
var sizeBands = []struct {
	band   SizeBand
	lo, hi int
}{{SizeMicro, 0, 10}, {SizeSmall, 10, 100}, {SizeMedium, 100, 300}, {SizeLarge, 300, 0}}

// SizeBands lists the bands, smallest first.
var SizeBands = []SizeBand{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

// Range returns the headcounts [lo, hi) of the band; hi is 0 for the largest, which has no
// upper bound.
func (b SizeBand) Range() (lo, hi int) {
	for _, s := range sizeBands {
		if s.band == b {
			return s.lo, s.hi
		}
	}
	return 0, 0
}

// SizeBandOf returns the band of a headcount.
func SizeBandOf(headcount int) SizeBand {
	for _, s := range sizeBands {
		if headcount < s.hi {
			return s.band
		}
	}
	return SizeLarge
}

// Area is the district, a town, a subdistrict or a park, in or outside the district.
type Area struct {
	ID         string
	Name       string
	Kind       string
	InDistrict bool
}

// Industry is an industry; three are the district's leading industries.
type Industry struct {
	ID      string
	Code    string
	Name    string
	Leading bool
}

// PartyOrg is a party organisation: an organisation's own branch, general branch or
// committee, or a joint, regional or industry one that covers others.
type PartyOrg struct {
	ID        string
	Name      string
	Kind      string
	FoundedOn *time.Time
	Members   int
}

// Alliance is a hub that organisations join: the working committee, an industry committee,
// an industry-cluster alliance or the private-hospital alliance.
type Alliance struct {
	ID        string
	Name      string
	Kind      string
	FoundedOn *time.Time
}

// Agreement is a co-building agreement between parks.
type Agreement struct {
	ID       string
	Name     string
	Kind     string
	SignedOn *time.Time
}

// RedZone is a red business circle or red block.
type RedZone struct {
	ID        string
	Name      string
	Kind      string
	FoundedOn *time.Time
}

// DemoBelt is a demonstration belt.
type DemoBelt struct {
	ID   string
	Name string
}

// DemoSite is a demonstration point.
type DemoSite struct {
	ID           string
	Name         string
	Kind         string
	DesignatedOn *time.Time
}

// Brand is a party-building brand or study route.
type Brand struct {
	ID   string
	Name string
	Kind string
}

// Event is a meeting, activity, service or training.
type Event struct {
	ID          string
	Name        string
	Kind        string
	Date        *time.Time
	PersonTimes int
}

// Person is an instructor, liaison, mentor, party-affairs worker, recruit or apprentice.
type Person struct {
	ID          string
	Name        string
	Gender      string
	PartyMember bool
	BirthYear   int
}

// Certification is a red-leader review and its outcome.
type Certification struct {
	ID          string
	Kind        string
	Status      string
	ReviewedOn  *time.Time
	CertifiedOn *time.Time
}

// MassBranch is a union, Youth League or Women's Federation branch formed in an
// organisation.
type MassBranch struct {
	ID       string
	Name     string
	Kind     string
	FormedOn *time.Time
}

// Evaluation is one round's evaluation of a party organisation: three evaluator groups'
// scores on the seven dimensions and the weighted final score.
type Evaluation struct {
	ID         string
	PartyOrgID string
	Round      string
	RoundDate  *time.Time
	Self       [7]float64
	Public     [7]float64
	Committee  [7]float64
	Score      float64
}

// Tie is a relationship between two nodes with its dates and, where it applies, a role or
// mode.
type Tie struct {
	Type   TieType
	FromID string
	ToID   string
	Since  *time.Time
	Until  *time.Time
	Role   string
	Mode   string
}
