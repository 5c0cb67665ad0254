package cobuild

import "testing"

func TestIdsNameTheirLabel(t *testing.T) {
	good := map[string]NodeLabel{"og-000001": "Organization", "po-12": "PartyOrg", "es-000031": "Evaluation", "ar-1": "Area"}
	for id, label := range good {
		if got, err := LabelOf(id); err != nil || got != label {
			t.Errorf("%s: got %q, %v; want %s", id, got, err, label)
		}
	}
	for _, id := range []string{"", "og", "og-", "og-12a", "OG-1", "xx-1", "og-1 OR 1=1", "og-0000000000001"} {
		if _, err := LabelOf(id); ErrorCode(err) != EINVALID {
			t.Errorf("%q: got %v, want %s", id, err, EINVALID)
		}
	}
}

func TestCheckIDWantsTheLabelNamed(t *testing.T) {
	if err := CheckID("og-000001", LabelOrganization); err != nil {
		t.Errorf("an organisation id as an organisation: %v", err)
	}
	for _, tc := range []struct {
		id    string
		label NodeLabel
	}{{"po-000001", LabelOrganization}, {"og-000001", LabelPartyOrg}, {"og-", LabelOrganization}, {"", LabelOrganization}} {
		if err := CheckID(tc.id, tc.label); ErrorCode(err) != EINVALID {
			t.Errorf("%q as %s: %v, want %s", tc.id, tc.label, err, EINVALID)
		}
	}
}
