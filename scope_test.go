package cobuild_test

import (
	"slices"
	"testing"

	"cobuild"
)

func TestAScopeHoldsItsAreasAndIdsByLabel(t *testing.T) {
	s := cobuild.NewScope([]string{"ar-000019", "ar-000009", "ar-000019"},
		[]string{"og-000102", "og-000019", "po-000001", "og-000019", "nonsense", "zz-000001"})
	if got := s.Areas(); !slices.Equal(got, []string{"ar-000009", "ar-000019"}) {
		t.Errorf("areas %v, want them sorted without repeats", got)
	}
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"og-000019", true}, {"og-000102", true}, {"po-000001", true}, {"ar-000019", true},
		{"og-000020", false}, {"po-000002", false}, {"ar-000025", false}, {"nonsense", false}, {"zz-000001", false},
		{"in-000001", true}, // industries are reference data
	} {
		if got := s.Has(c.id); got != c.want {
			t.Errorf("Has(%s) = %v, want %v", c.id, got, c.want)
		}
	}
	for _, c := range []struct {
		label cobuild.NodeLabel
		want  []string
	}{
		{cobuild.LabelOrganization, []string{"og-000019", "og-000102"}},
		{cobuild.LabelArea, []string{"ar-000009", "ar-000019"}},
		{cobuild.LabelPartyOrg, []string{"po-000001"}},
		{cobuild.LabelPerson, []string{}},
	} {
		if got := s.IDs(c.label); !slices.Equal(got, c.want) || got == nil {
			t.Errorf("IDs(%s) = %#v, want %v (empty, not nil, for none)", c.label, got, c.want)
		}
	}
	if l, err := cobuild.LabelOf("in-000001"); err != nil || l != cobuild.LabelIndustry || s.Has("in-") || s.Has("in-x") {
		t.Error("industries are the ids in-… and only those")
	}
	if got := s.IDs(cobuild.LabelIndustry); got != nil {
		t.Errorf("IDs(Industry) = %v, want nil: industries are never narrowed", got)
	}
	if got := s.All(); !slices.Equal(got, []string{"ar-000009", "ar-000019", "og-000019", "og-000102", "po-000001"}) {
		t.Errorf("All() = %v", got)
	}
	if !s.OwnArea("ar-000009") || s.OwnArea("ar-000025") {
		t.Error("OwnArea: the scope's own areas are ar-000009 and ar-000019")
	}
}

func TestAScopeKeyNamesItsAreasInOneOrder(t *testing.T) {
	if a, b := cobuild.ScopeKey([]string{"ar-000025", "ar-000019", "ar-000025"}), cobuild.ScopeKey([]string{"ar-000019", "ar-000025"}); a != b || a != "ar-000019,ar-000025" {
		t.Errorf("keys %q and %q, want both ar-000019,ar-000025", a, b)
	}
	if k := cobuild.ScopeKey(nil); k == "" || len(cobuild.ScopeAreas(k)) != 0 {
		t.Errorf("no areas: key %q, want one that is not empty and names no area", k)
	}
	if got := cobuild.ScopeAreas(cobuild.ScopeKey([]string{"ar-000025", "ar-000019"})); !slices.Equal(got, []string{"ar-000019", "ar-000025"}) {
		t.Errorf("the areas of a key: %v", got)
	}
}
