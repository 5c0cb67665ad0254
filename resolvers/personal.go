package resolvers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"cobuild"
	"cobuild/auth"
	"cobuild/gqlmodel"
)

// nodeName is the name of a node of the network as the caller may see it: a person's
// shows only the family name to callers without personal data. A node named by its id
// keeps it.
func nodeName(ctx context.Context, label, id, name string) string {
	if label == string(cobuild.LabelPerson) && name != id && !auth.FromContext(ctx).PersonalData() {
		return auth.MaskName(name)
	}
	return name
}

// maskPeople replaces, in the sentences of a path, the names of the people on it by their
// masks, for callers without personal data. The sentences are written from the full
// names (analytics knows no callers), so the names are replaced afterwards, the longest
// first so that no name is left half masked inside a longer one.
func maskPeople(ctx context.Context, res *gqlmodel.PathResult, ends ...*gqlmodel.NetworkNode) {
	if auth.FromContext(ctx).PersonalData() {
		return
	}
	var names []string
	add := func(n *gqlmodel.NetworkNode) {
		if n.Label == string(cobuild.LabelPerson) && n.Name != n.ID {
			names = append(names, n.Name)
		}
	}
	for _, n := range ends {
		add(n)
	}
	for _, p := range res.Paths {
		for _, n := range p.Nodes {
			add(n)
		}
	}
	if len(names) == 0 {
		return
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 2*len(names))
	for _, n := range slices.Compact(names) {
		pairs = append(pairs, n, auth.MaskName(n))
	}
	mask := strings.NewReplacer(pairs...)
	res.Explanation = mask.Replace(res.Explanation)
	for _, p := range res.Paths {
		p.Sentence = mask.Replace(p.Sentence)
		for _, s := range p.Steps {
			s.Sentence = mask.Replace(s.Sentence)
		}
	}
}

// forbiddenPersonal is the error of an argument that would tell personal data to a caller
// without it.
func forbiddenPersonal(who *auth.Principal, what string) error {
	return &cobuild.Error{Code: cobuild.EFORBIDDEN,
		Message: fmt.Sprintf("您的角色（%s）无权查看个人信息，不能使用 %s。Your role (%s) may not see personal data, so it may not use %s.",
			who.Role, what, who.Role, what),
		Extensions: map[string]any{"role": string(who.Role), "argument": what}}
}
