package gqlmodel

import (
	"context"
	"fmt"
	"time"

	"cobuild"
	"cobuild/loaders"
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

// NewCoverTie builds a cover tie from its ends.
func NewCoverTie(o *cobuild.Organization, po *cobuild.PartyOrg, t cobuild.Tie) *CoverTie {
	return &CoverTie{Organization: WrapOrg(o), PartyOrganization: po, Mode: t.Mode,
		ModeLabel: cobuild.Label("CoverMode", t.Mode), Since: t.Since, Until: t.Until}
}

// PersonTie ties a person to an organisation.
type PersonTie struct {
	Type         string
	TypeLabel    string
	Person       *cobuild.Person
	Organization Organization
	Role         *string
	RoleLabel    *string
	SchoolID     string
	Since, Until *time.Time
}

// NewPersonTie builds a person tie from its ends.
func NewPersonTie(t cobuild.Tie, p *cobuild.Person, o *cobuild.Organization) *PersonTie {
	pt := &PersonTie{Type: t.Type, TypeLabel: cobuild.Label("PersonTieType", t.Type), Person: p,
		Organization: WrapOrg(o), SchoolID: t.School, Since: t.Since, Until: t.Until}
	if t.Role != "" {
		role, label := t.Role, cobuild.Label("PersonTieRole", t.Role)
		pt.Role, pt.RoleLabel = &role, &label
	}
	return pt
}

// School is the school of an apprenticeship.
func (t *PersonTie) School(ctx context.Context) (Organization, error) {
	if t.SchoolID == "" {
		return nil, nil
	}
	o, err := loaders.Node[*cobuild.Organization](ctx, t.SchoolID)
	return WrapOrg(o), err
}

// Hub is an alliance or a red zone.
type Hub interface{}

// EventParty is whatever holds or attends an event.
type EventParty interface{}

// Node is anything with an id.
type Node interface{}

// Membership ties an organisation to a hub.
type Membership struct {
	Organization Organization
	Hub          Hub
	Role         string
	RoleLabel    string
	Since, Until *time.Time
}

// NewMembership builds a membership from its ends.
func NewMembership(o *cobuild.Organization, hub any, t cobuild.Tie) *Membership {
	return &Membership{Organization: WrapOrg(o), Hub: hub, Role: t.Role, RoleLabel: cobuild.Label("MemberRole", t.Role),
		Since: t.Since, Until: t.Until}
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

// DimensionScore is one dimension's scores by the three groups.
type DimensionScore struct {
	Key, Label              string
	Max                     float64
	Self, Public, Committee float64
}

// Evaluation is an evaluation with its grade under the rules in force.
type Evaluation struct {
	*cobuild.Evaluation
	Dimensions                             []*DimensionScore
	SelfTotal, PublicTotal, CommitteeTotal float64
	Tier                                   cobuild.Tier
	TierLabel                              string
	Stars                                  int
	ToNextStar, ToNextTier                 float64
}

// NewEvaluation grades an evaluation.
func NewEvaluation(r cobuild.Rules, e *cobuild.Evaluation) (*Evaluation, error) {
	g, err := r.GradeOf(e.Score)
	if err != nil {
		// A stored score off the scale is bad data, not bad input: an internal error.
		return nil, fmt.Errorf("grade evaluation %s: %s", e.ID, cobuild.ErrorMessage(err))
	}
	out := &Evaluation{Evaluation: e, Tier: g.Tier, TierLabel: cobuild.Label("Tier", string(g.Tier)), Stars: g.Stars,
		ToNextStar: g.ToNextStar, ToNextTier: g.ToNextTier}
	for i, d := range cobuild.Dimensions {
		out.Dimensions = append(out.Dimensions, &DimensionScore{Key: d.Key, Label: d.Label, Max: r.DimensionMax[i],
			Self: e.Self[i], Public: e.Public[i], Committee: e.Committee[i]})
		out.SelfTotal += e.Self[i]
		out.PublicTotal += e.Public[i]
		out.CommitteeTotal += e.Committee[i]
	}
	return out, nil
}

// PartyOrganization is the party organisation evaluated.
func (e *Evaluation) PartyOrganization(ctx context.Context) (*cobuild.PartyOrg, error) {
	po, err := loaders.Node[*cobuild.PartyOrg](ctx, e.PartyOrgID)
	if err == nil && po == nil {
		return nil, cobuild.Errorf(cobuild.ENOTFOUND, "party organisation %s of evaluation %s not found", e.PartyOrgID, e.ID)
	}
	return po, err
}

// GradeWithOwner grades an evaluation loaded on its own, finding its party organisation.
func GradeWithOwner(ctx context.Context, e *cobuild.Evaluation) (*Evaluation, error) {
	if e.PartyOrgID == "" {
		pos, err := Ends[*cobuild.PartyOrg](ctx, e.ID, cobuild.TieQuery{Type: "EVALUATED", Dir: cobuild.In})
		if err != nil {
			return nil, err
		}
		if len(pos) > 0 {
			c := *e
			c.PartyOrgID = pos[0].ID
			e = &c
		}
	}
	return NewEvaluation(loaders.For(ctx).Settings().Rules, e)
}
