package resolvers

import "testing"

func TestUploadNameKeepsTheBaseNameAlone(t *testing.T) {
	for _, c := range []struct{ sent, want string }{
		{"组织名录.csv", "组织名录.csv"},
		{`C:\Users\办公室\党组织覆盖.xlsx`, "党组织覆盖.xlsx"},
		{"../../etc/组织名录.csv", "组织名录.csv"},
		{"/tmp/x/评星定级.csv", "评星定级.csv"},
		{"..", "upload."},
		{"", "upload"},
		{"/", "upload"},
	} {
		if got := uploadName(c.sent); got != c.want {
			t.Errorf("uploadName(%q) = %q, want %q", c.sent, got, c.want)
		}
	}
}
