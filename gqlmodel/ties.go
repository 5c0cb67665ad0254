package gqlmodel

import (
	"time"

	"cobuild"
)

// PartyOrganizationTie ties an organisation to its own party organisation.
type PartyOrganizationTie struct {
	Organization      Organization
	PartyOrganization *cobuild.PartyOrg
	Since, Until      *time.Time
}

// CoverTie ties an organisation to a party organisation that covers it.
type CoverTie struct {
	Organization      Organization
	PartyOrganization *cobuild.PartyOrg
	Mode              string
	ModeLabel         string
	Since, Until      *time.Time
}

// PersonTie ties a person to an organisation.
type PersonTie struct {
	Type         cobuild.TieType
	TypeLabel    string
	Person       *cobuild.Person
	Organization Organization
	Role         *string
	RoleLabel    *string
	Since, Until *time.Time
}

// Membership ties an organisation to a hub.
type Membership struct {
	Organization Organization
	Hub          Hub
	Role         string
	RoleLabel    string
	Since, Until *time.Time
}

// CoBuild is a community co-building link.
type CoBuild struct {
	Organization Organization
	Community    Organization
	Mode         string
	ModeLabel    string
	Since, Until *time.Time
}

// Mentorship ties a mentor to a mentee.
type Mentorship struct {
	Mentor, Mentee *cobuild.Person
	Since, Until   *time.Time
}

// Secondment sends a person to an area.
type Secondment struct {
	Person       *cobuild.Person
	Area         *cobuild.Area
	Since, Until *time.Time
}
