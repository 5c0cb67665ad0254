package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

// hubLabels are the small labels Hubs lists.
var hubLabels = []cobuild.NodeLabel{cobuild.LabelAlliance, cobuild.LabelAgreement, cobuild.LabelRedZone, cobuild.LabelDemoBelt,
	cobuild.LabelDemoSite, cobuild.LabelBrand, cobuild.LabelArea, cobuild.LabelIndustry}

func checkHubLabel(label cobuild.NodeLabel) error {
	for _, l := range hubLabels {
		if l == label {
			return nil
		}
	}
	return cobuild.Errorf(cobuild.EINVALID, "%q is not a small label", label)
}

// Hubs implements cobuild.HubReader.
func (s *Store) Hubs(ctx context.Context, label cobuild.NodeLabel, f cobuild.HubFilter, with *cobuild.Fetch) ([]any, *cobuild.Fetched, error) {
	if err := checkHubLabel(label); err != nil {
		return nil, nil, err
	}
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, nil, err
	}
	params := map[string]any{}
	var where []string
	if c := n.in("v", label); c != "" {
		where = append(where, c)
	}
	if f.Kind != "" {
		where, params["kind"] = append(where, "v.kind = $kind"), f.Kind
	}
	if f.InDistrict != nil {
		where, params["inDistrict"] = append(where, "v.inDistrict = $inDistrict"), *f.InDistrict
	}
	if f.Leading != nil {
		where, params["leading"] = append(where, "v.leading = $leading"), *f.Leading
	}
	match := "MATCH (v:" + string(label) + ")"
	if len(where) > 0 {
		match += " WHERE " + strings.Join(where, " AND ")
	}
	match += " WITH v ORDER BY v.name, v.id"
	params = n.bind(params)
	x, err := expansionOf("v", with, n)
	if err != nil {
		return nil, nil, err
	}
	out := cobuild.NewFetched()
	nodes, err := query(ctx, s, match+" "+x.returning("v", "", params, n), params, func(r *neo4j.Record) (any, error) { return expanded(r, "v", x, out, n.scope) })
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", label, err)
	}
	return nodes, out, nil
}

// HubByName implements cobuild.HubReader.
func (s *Store) HubByName(ctx context.Context, label cobuild.NodeLabel, name string, with *cobuild.Fetch) (any, *cobuild.Fetched, error) {
	if err := checkHubLabel(label); err != nil {
		return nil, nil, err
	}
	return lookup[any](ctx, s, string(label)+" by name", label, "MATCH (v:"+string(label)+" {name: $name})", "WITH v ORDER BY v.id LIMIT 1",
		map[string]any{"name": name}, with)
}
