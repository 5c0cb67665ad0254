package gqlmodel

import (
	"time"

	"cobuild"
	"cobuild/analytics"
)

// CoverageStats are the coverage counts of a day, with what they were computed on.
type CoverageStats struct {
	*analytics.CoverageStats
	AsOf       time.Time
	Provenance *Provenance
}

// CoverageStatsWhere narrows the organisations coverage stats count.
type CoverageStatsWhere struct {
	Kind        []cobuild.OrgKind
	Sector      []cobuild.Sector
	AboveScale  *bool
	AreaID      *string
	ParkID      *string
	CommunityID *string
	IndustryID  *string
}

// CoverageGroupSort orders the groups of coverage stats.
type CoverageGroupSort struct {
	Field     string
	Direction *string
}

// Programs are the programmes on a day.
type Programs struct {
	AsOf                            time.Time
	MentorCount, InstructorMentors  int
	Recruits, Apprentices, Seconded int
	DeltaTrainingPersonTimes        int
	Certification                   *analytics.CertificationFunnel
	MassBranches                    *analytics.MassBranchFollowUp
	// MentorRows are the mentors, most mentees first.
	MentorRows []cobuild.MentorRow
}

// MentorLoad is a mentor with the number of mentees and their organisations' tiers.
type MentorLoad struct {
	Mentor      *cobuild.Person
	Mentees     int
	MenteeTiers []*analytics.TierCount
}

// Demonstration is the hubs, sites, brands and leading industries on a day.
type Demonstration struct {
	AsOf          time.Time
	Round         *string
	Sites, Brands []*analytics.KindCount
	// HubRows are the hubs on the day, and TierOf the tier of each party organisation in
	// Round.
	HubRows    []cobuild.HubRow
	TierOf     map[string]cobuild.Tier
	Industries []*LeadingIndustry
}

// LeadingIndustry is a leading industry with its above-scale enterprises.
type LeadingIndustry struct {
	Row                               cobuild.LeadingIndustryRow
	AboveScale, InCommitteeOrAlliance int
}
