package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cobuild/auth"
)

func TestTokenPrintsATokenSignedWithTheInstallsKey(t *testing.T) {
	t.Setenv("COBUILD_JWT_SECRET", "")
	dir := t.TempDir()
	var out bytes.Buffer
	err := token([]string{"-data-dir", dir, "-role", "officer", "-area", "ar-000008,ar-000025", "-area", "ar-000001", "-subject", "li.ming", "-ttl", "2h"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	// The key was made in the data folder, and the server verifies the token with it.
	key, created, err := auth.LoadOrCreateKey(filepath.Join(dir, auth.KeyFile))
	if err != nil || created {
		t.Fatalf("the token command left no key in the data folder: created %v, err %v", created, err)
	}
	v, err := auth.NewVerifier(context.Background(), auth.Config{Secret: key})
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.Verify(context.Background(), strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("the printed token does not verify: %v", err)
	}
	if p.Subject != "li.ming" || p.Role != auth.Officer || !slices.Equal(p.Areas, []string{"ar-000008", "ar-000025", "ar-000001"}) {
		t.Errorf("principal %+v", p)
	}
	if d := time.Until(p.Expires); d < 119*time.Minute || d > 2*time.Hour {
		t.Errorf("expires in %v, want 2h", d)
	}
	// A second token is signed with the same key.
	out.Reset()
	if err := token([]string{"-data-dir", dir, "-role", "viewer"}, &out); err != nil {
		t.Fatal(err)
	}
	if p, err := v.Verify(context.Background(), strings.TrimSpace(out.String())); err != nil || p.Role != auth.Viewer || !strings.HasPrefix(p.Subject, "local") {
		t.Errorf("second token: %+v, %v", p, err)
	}
}

func TestTokenSignsWithTheConfiguredSecretAndRefusesWhatWouldNotVerify(t *testing.T) {
	secret := "a configured secret of at least thirty-two bytes"
	t.Setenv("COBUILD_JWT_SECRET", secret)
	dir := t.TempDir()
	var out bytes.Buffer
	if err := token([]string{"-data-dir", dir, "-role", "analyst"}, &out); err != nil {
		t.Fatal(err)
	}
	v, _ := auth.NewVerifier(context.Background(), auth.Config{Secret: []byte(secret)})
	if _, err := v.Verify(context.Background(), strings.TrimSpace(out.String())); err != nil {
		t.Errorf("not signed with the configured secret: %v", err)
	}
	for _, args := range [][]string{
		{"-role", "root"},
		{"-role", "officer"},
		{"-role", "officer", "-area", "og-000019"},
		{"-role", "admin", "-ttl", "0s"},
		{"-role", "admin", "extra"},
	} {
		if err := token(append([]string{"-data-dir", dir}, args...), &out); err == nil {
			t.Errorf("token %v: no error", args)
		}
	}
	t.Setenv("COBUILD_JWT_SECRET", "")
	t.Setenv("COBUILD_JWKS_URL", "https://sso.example.org/jwks")
	if err := token([]string{"-data-dir", dir, "-role", "admin"}, &out); err == nil || !strings.Contains(err.Error(), "single sign-on") {
		t.Errorf("with a JWKS configured: err %v, want one saying tokens come from the single sign-on", err)
	}
}
