package cobuild

// CensusRow is one organisation as the coverage aggregates see it on a day: what it is
// grouped by (its town or subdistrict, park, community, industry, type, size, above-scale)
// and the facts that decide its coverage.
type CensusRow struct {
	ID, Name     string
	Kind         OrgKind
	Sector       Sector
	Headcount    int
	PartyMembers int
	AboveScale   bool
	Operating    bool
	// Ids of the town or subdistrict, the area that holds it (the district), the park,
	// the community and the industry; empty when none.
	AreaID, AreaParentID, ParkID, CommunityID, IndustryID string
	Facts                                                 CoverageFacts
	// Coverers are the joint, regional and industry party organisations that cover it and
	// the instructors assigned to it on the day.
	Coverers []string
}

// DayFacts are what an organisation has on a day: its coverage facts and its coverers.
type DayFacts struct {
	Facts    CoverageFacts
	Coverers []string
}
