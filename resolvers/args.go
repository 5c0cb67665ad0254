package resolvers

import (
	"context"

	"cobuild"
	"cobuild/analytics"
	"cobuild/gqlmodel"
)

// bounded reads an optional integer argument with a default and bounds; out of bounds is
// BAD_USER_INPUT.
var bounded = analytics.Bounded

// pageArgs checks a page size against the limits: nil means the default, and a size
// outside 1..max is BAD_USER_INPUT.
func (r *Resolver) pageArgs(first *int, after *string) (cobuild.PageArgs, error) {
	p := cobuild.PageArgs{First: r.pages.Default}
	if first != nil {
		if *first < 1 || *first > r.pages.Max {
			return p, cobuild.Errorf(cobuild.EINVALID, "first must be between 1 and %d, got %d", r.pages.Max, *first)
		}
		p.First = *first
	}
	if after != nil {
		p.After = *after
	}
	return p, nil
}

// exactlyOne checks that exactly one of the lookup arguments is given.
func exactlyOne(names string, args ...*string) error {
	n := 0
	for _, a := range args {
		if a != nil {
			n++
		}
	}
	if n != 1 {
		return cobuild.Errorf(cobuild.EINVALID, "give exactly one of %s", names)
	}
	return nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func sortOf(field string, direction *string) cobuild.Sort {
	return cobuild.Sort{Field: field, Desc: direction != nil && *direction == "DESC"}
}

// setID puts a where-id into a filter field fixed by the parent object (if any); two
// different ids for one field can never both hold, so they are refused.
func setID(field *string, name string, v *string) error {
	if v == nil {
		return nil
	}
	if *field != "" && *field != *v {
		return cobuild.Errorf(cobuild.EINVALID, "%s is fixed to %s here", name, *field)
	}
	*field = *v
	return nil
}

// orgFilter merges a where input into a base filter (the parent's constraint); the day
// is the request's today unless the input says otherwise.
func (r *Resolver) orgFilter(ctx context.Context, base cobuild.OrgFilter, w *gqlmodel.OrganizationWhere) (cobuild.OrgFilter, error) {
	f := base
	f.AsOf = r.day(ctx, nil)
	if w == nil {
		return f, nil
	}
	for _, s := range []struct {
		field *string
		name  string
		v     *string
	}{
		{&f.AreaID, "areaId", w.AreaID}, {&f.ParkID, "parkId", w.ParkID}, {&f.CommunityID, "communityId", w.CommunityID},
		{&f.IndustryID, "industryId", w.IndustryID}, {&f.MemberOfID, "memberOfId", w.MemberOfID}, {&f.CoveredByID, "coveredById", w.CoveredByID},
	} {
		if err := setID(s.field, s.name, s.v); err != nil {
			return f, err
		}
	}
	if w.PartyMembersMin != nil && w.PartyMembersMax != nil && *w.PartyMembersMin > *w.PartyMembersMax {
		return f, cobuild.Errorf(cobuild.EINVALID, "partyMembersMin %d is above partyMembersMax %d", *w.PartyMembersMin, *w.PartyMembersMax)
	}
	f.Kinds, f.Sectors, f.SizeBands, f.Coverage = w.Kind, w.Sector, w.SizeBand, w.Coverage
	f.AboveScale, f.Operating, f.PartyMembersMin, f.PartyMembersMax = w.AboveScale, w.Operating, w.PartyMembersMin, w.PartyMembersMax
	f.Isolated, f.ShouldHaveOwn, f.Tiers = w.Isolated, w.ShouldHaveOwn, w.Tier
	f.Round, f.NameContains = str(w.Round), str(w.NameContains)
	if w.AsOf != nil {
		f.AsOf = cobuild.Day(*w.AsOf)
	}
	return f, nil
}
