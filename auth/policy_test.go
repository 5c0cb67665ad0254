package auth_test

import (
	"testing"

	"cobuild/auth"
)

func TestMaskNameKeepsTheFamilyNameOnly(t *testing.T) {
	for name, want := range map[string]string{
		"王建国": "王**", "李娜": "李**", "欧阳明": "欧阳**", "欧阳": "欧**", "汪": "**", "": "**", " 张伟 ": "张**",
	} {
		if got := auth.MaskName(name); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestWhoMayReadWhat(t *testing.T) {
	for _, tc := range []struct {
		role              auth.Role
		organizations     bool
		coverageStats     bool
		records, personal bool
		unknownRootField  bool
		scoped            bool
	}{
		{auth.Admin, true, true, true, true, false, false},
		{auth.Analyst, true, true, true, false, false, false},
		{auth.Officer, true, true, true, true, false, true},
		{auth.Viewer, false, true, false, false, false, false},
		{"intruder", false, false, true, false, false, false},
	} {
		p := &auth.Principal{Subject: "s", Role: tc.role}
		if got := p.MayRead("organizations"); got != tc.organizations {
			t.Errorf("%s may read organizations: %v, want %v", tc.role, got, tc.organizations)
		}
		if got := p.MayRead("coverageStats"); got != tc.coverageStats {
			t.Errorf("%s may read coverageStats: %v, want %v", tc.role, got, tc.coverageStats)
		}
		if got := p.MayRead("aFieldWithoutAPolicy"); got != tc.unknownRootField {
			t.Errorf("%s may read a root field without a policy: %v", tc.role, got)
		}
		if got := p.PersonalData(); got != tc.personal {
			t.Errorf("%s has personal data: %v, want %v", tc.role, got, tc.personal)
		}
		if tc.role.Valid() {
			if got := p.MayReach(); got != tc.records {
				t.Errorf("%s may reach records: %v, want %v", tc.role, got, tc.records)
			}
		}
	}
	var none *auth.Principal
	if !none.MayRead("people") || !none.MayReach() || !none.PersonalData() {
		t.Error("the server's own work (no principal) is refused something")
	}
}
