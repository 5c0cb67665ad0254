package resolvers

import (
	"context"
	"slices"

	"cobuild"
	"cobuild/analytics"
	"cobuild/gqlmodel"
)

// hubNames names every area or industry (the labels asked), by id: one read per label.
func (r *Resolver) hubNames(ctx context.Context, labels ...cobuild.NodeLabel) (map[string]string, error) {
	names := map[string]string{}
	for _, label := range labels {
		hs, _, err := r.reader(ctx).Hubs(ctx, label, cobuild.HubFilter{}, nil)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			switch h := h.(type) {
			case *cobuild.Area:
				names[h.ID] = h.Name
			case *cobuild.Industry:
				names[h.ID] = h.Name
			}
		}
	}
	return names, nil
}

// placeNames names the areas, parks, industries and communities of the dimensions asked.
func (r *Resolver) placeNames(ctx context.Context, c *analytics.Census, by []analytics.GroupDimension) (map[string]string, error) {
	var labels []cobuild.NodeLabel
	if slices.Contains(by, analytics.ByArea) || slices.Contains(by, analytics.ByPark) {
		labels = append(labels, cobuild.LabelArea)
	}
	if slices.Contains(by, analytics.ByIndustry) {
		labels = append(labels, cobuild.LabelIndustry)
	}
	names, err := r.hubNames(ctx, labels...)
	if err != nil {
		return nil, err
	}
	if slices.Contains(by, analytics.ByCommunity) {
		for _, row := range c.Rows {
			if row.Kind == cobuild.OrgCommunity {
				names[row.ID] = row.Name
			}
		}
	}
	return names, nil
}

// coverageFilter turns the where input of coverage stats into the filter of the census
// rows: the managed sectors unless it names some (a public body is not counted), and an
// area of the district kind keeps every organisation located in the district.
func (r *Resolver) coverageFilter(ctx context.Context, w *gqlmodel.CoverageStatsWhere) (analytics.CoverageFilter, error) {
	f := analytics.CoverageFilter{Sectors: cobuild.ManagedSectors}
	if w == nil {
		return f, nil
	}
	if w.Sector != nil {
		for _, s := range w.Sector {
			if !s.Managed() {
				return f, cobuild.Errorf(cobuild.EINVALID, "coverage concerns the managed sectors ENTERPRISE and SOCIAL only, not %s", s)
			}
		}
		f.Sectors = w.Sector
	}
	f.Kinds, f.AboveScale = w.Kind, w.AboveScale
	for _, c := range []struct {
		v     *string
		label cobuild.NodeLabel
		set   *string
	}{{w.ParkID, cobuild.LabelArea, &f.ParkID}, {w.CommunityID, cobuild.LabelOrganization, &f.CommunityID},
		{w.IndustryID, cobuild.LabelIndustry, &f.IndustryID}, {w.AreaID, cobuild.LabelArea, nil}} {
		if c.v == nil {
			continue
		}
		if err := cobuild.CheckID(*c.v, c.label); err != nil {
			return f, err
		}
		if c.set != nil {
			*c.set = *c.v
		}
	}
	if w.AreaID != nil {
		// Whether the area is the district, which holds every area in it, is read of the
		// whole graph: an officer's counts are of the census within their scope anyway.
		areas, _, err := r.whole.Hubs(ctx, cobuild.LabelArea, cobuild.HubFilter{}, nil)
		if err != nil {
			return f, err
		}
		f.Areas = map[string]bool{*w.AreaID: true}
		for _, a := range areas {
			if a, ok := a.(*cobuild.Area); ok && a.ID == *w.AreaID && a.Kind == "DISTRICT" {
				for _, b := range areas {
					if b, ok := b.(*cobuild.Area); ok && b.InDistrict {
						f.Areas[b.ID] = true
					}
				}
			}
		}
	}
	return f, nil
}

// roundsAround returns a round (the newest when empty) and the one before it; a round
// nobody was evaluated in is NOT_FOUND.
func (r *Resolver) roundsAround(ctx context.Context, round string) (string, string, error) {
	rounds, err := r.reader(ctx).Rounds(ctx) // newest first
	if err != nil {
		return "", "", err
	}
	if len(rounds) == 0 {
		return "", "", cobuild.Errorf(cobuild.ENOTFOUND, "no evaluation rounds yet")
	}
	if round == "" {
		round = rounds[0].Round
	}
	for i, rd := range rounds {
		if rd.Round == round {
			if i+1 < len(rounds) {
				return round, rounds[i+1].Round, nil
			}
			return round, "", nil
		}
	}
	return "", "", cobuild.Errorf(cobuild.ENOTFOUND, "no evaluations in round %q", round)
}

// gradedRound grades the evaluations of a round (read once per graph version); "" has
// none.
func (r *Resolver) gradedRound(ctx context.Context, round string) ([]*analytics.Evaluation, error) {
	if round == "" {
		return nil, nil
	}
	var es []*cobuild.Evaluation
	if v := r.loaders(ctx).Snapshots; v != nil {
		rd, err := v.Round(ctx, round)
		if err != nil {
			return nil, err
		}
		es = rd.Evaluations
	} else {
		var err error
		if es, err = r.reader(ctx).RoundEvaluations(ctx, []string{round}); err != nil {
			return nil, err
		}
	}
	return analytics.GradeAll(r.rules, es)
}
