package auth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cobuild"
	"cobuild/auth"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func verifier(t *testing.T, cfg auth.Config) *auth.Verifier {
	t.Helper()
	v, err := auth.NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func claims(extra map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{"sub": "u1", "role": "analyst", "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// reason returns the reason of a refused token, failing when it was accepted or refused
// with another code.
func reason(t *testing.T, v *auth.Verifier, token string) string {
	t.Helper()
	p, err := v.Verify(context.Background(), token)
	if err == nil {
		t.Fatalf("token accepted as %+v, want it refused", p)
	}
	if cobuild.ErrorCode(err) != cobuild.EUNAUTHENTICATED {
		t.Fatalf("refused with %v, want UNAUTHENTICATED", err)
	}
	msg := cobuild.ErrorMessage(err)
	if (token != "" && strings.Contains(msg, token)) || !strings.Contains(msg, "。") {
		t.Errorf("message %q repeats the token or has no Chinese sentence", msg)
	}
	r, _ := cobuild.ErrorExtensions(err)["reason"].(string)
	return r
}

func TestAnHMACTokenNamesItsPrincipal(t *testing.T) {
	v := verifier(t, auth.Config{Secret: secret})
	for _, tc := range []struct {
		name   string
		claims map[string]any
		want   auth.Principal
	}{
		{"a role as a string", nil, auth.Principal{Subject: "u1", Role: auth.Analyst}},
		{"a role in capitals", map[string]any{"role": "Viewer"}, auth.Principal{Subject: "u1", Role: auth.Viewer}},
		{"the first known role of an array", map[string]any{"role": nil, "roles": []any{"editor", "officer", "admin"}, "areas": []any{"ar-000008"}},
			auth.Principal{Subject: "u1", Role: auth.Officer, Areas: []string{"ar-000008"}}},
		{"an officer with two areas", map[string]any{"role": "officer", "areas": []any{"ar-000008", "ar-000025"}},
			auth.Principal{Subject: "u1", Role: auth.Officer, Areas: []string{"ar-000008", "ar-000025"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := v.Verify(context.Background(), sign(t, jwt.SigningMethodHS256, secret, claims(tc.claims), ""))
			if err != nil {
				t.Fatal(err)
			}
			if p.Subject != tc.want.Subject || p.Role != tc.want.Role || !slices.Equal(p.Areas, tc.want.Areas) {
				t.Errorf("principal %+v, want %+v", p, tc.want)
			}
			if time.Until(p.Expires) < 59*time.Minute {
				t.Errorf("expires %v, want in an hour", p.Expires)
			}
		})
	}
}

func TestTokensThatAreRefusedAndWhy(t *testing.T) {
	v := verifier(t, auth.Config{Secret: secret, Issuer: "https://sso.example.org", Audience: "cobuild", Leeway: time.Second})
	ok := map[string]any{"iss": "https://sso.example.org", "aud": "cobuild"}
	with := func(extra map[string]any) jwt.MapClaims {
		c := claims(ok)
		for k, val := range extra {
			if val == nil {
				delete(c, k)
			} else {
				c[k] = val
			}
		}
		return c
	}
	if _, err := v.Verify(context.Background(), sign(t, jwt.SigningMethodHS256, secret, with(nil), "")); err != nil {
		t.Fatalf("a good token is refused: %v", err)
	}
	other := []byte("another secret, of 32 bytes or more")
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	for _, tc := range []struct {
		name, token, reason string
	}{
		{"no token", "", auth.ReasonMissing},
		{"not a token", "hello", auth.ReasonMalformed},
		{"signed with another key", sign(t, jwt.SigningMethodHS256, other, with(nil), ""), auth.ReasonSignature},
		{"signed with an RSA key none is configured for", sign(t, jwt.SigningMethodRS256, rsaKey, with(nil), ""), auth.ReasonSignature},
		{"not signed at all (alg none)", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, with(nil), ""), auth.ReasonSignature},
		{"expired", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"exp": time.Now().Add(-time.Minute).Unix()}), ""), auth.ReasonExpired},
		{"without exp", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"exp": nil}), ""), auth.ReasonClaims},
		{"not valid yet", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"nbf": time.Now().Add(time.Hour).Unix()}), ""), auth.ReasonNotYet},
		{"of another issuer", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"iss": "https://evil.example.com"}), ""), auth.ReasonIssuer},
		{"without an issuer", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"iss": nil}), ""), auth.ReasonClaims},
		{"for another audience", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"aud": "mail"}), ""), auth.ReasonAudience},
		{"without a subject", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"sub": nil}), ""), auth.ReasonClaims},
		{"without a role", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": nil}), ""), auth.ReasonClaims},
		{"with an unknown role", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": "root"}), ""), auth.ReasonClaims},
		{"with no known role in its array", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": nil, "roles": []any{"root", 7}}), ""), auth.ReasonClaims},
		{"an officer without areas", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": "officer"}), ""), auth.ReasonClaims},
		{"an officer with an empty area list", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": "officer", "areas": []any{}}), ""), auth.ReasonClaims},
		{"an area that is not an area id", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": "officer", "areas": []any{"og-000019"}}), ""), auth.ReasonClaims},
		{"areas that are not an array", sign(t, jwt.SigningMethodHS256, secret, with(map[string]any{"role": "officer", "areas": "ar-000008"}), ""), auth.ReasonClaims},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reason(t, v, tc.token); got != tc.reason {
				t.Errorf("reason %q, want %q", got, tc.reason)
			}
		})
	}
}

func TestClaimNamesAreConfigurable(t *testing.T) {
	v := verifier(t, auth.Config{Secret: secret, Claims: auth.Claims{Subject: "preferred_username", Roles: "groups", Areas: "districts"}})
	tok := sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"preferred_username": "li.ming", "groups": []any{"staff", "officer"},
		"districts": []any{"ar-000025"}, "exp": time.Now().Add(time.Hour).Unix()}, "")
	p, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "li.ming" || p.Role != auth.Officer || !slices.Equal(p.Areas, []string{"ar-000025"}) {
		t.Errorf("principal %+v", p)
	}
	// The signer writes the same names, so that the verifier reads its tokens.
	s := auth.Signer{Secret: secret, Claims: auth.Claims{Subject: "preferred_username", Role: "r", Areas: "districts"}}
	tok, err = s.Sign(auth.Principal{Subject: "wang", Role: auth.Officer, Areas: []string{"ar-000008"}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	v2 := verifier(t, auth.Config{Secret: secret, Claims: s.Claims})
	if p, err := v2.Verify(context.Background(), tok); err != nil || p.Subject != "wang" || p.Role != auth.Officer {
		t.Errorf("signed with custom claim names: %+v, %v", p, err)
	}
}

func writePEM(t *testing.T, blockType string, der []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func pkix(t *testing.T, pub crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestPublicKeysFromPEMFiles(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	files := []string{
		writePEM(t, "PUBLIC KEY", pkix(t, &rsaKey.PublicKey)),
		writePEM(t, "PUBLIC KEY", pkix(t, &ecKey.PublicKey)),
		writePEM(t, "PUBLIC KEY", pkix(t, edPub)),
	}
	keys, err := auth.ReadPublicKeys(files...)
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, auth.Config{PublicKeys: keys})
	for _, tc := range []struct {
		name   string
		method jwt.SigningMethod
		key    any
	}{
		{"RS256", jwt.SigningMethodRS256, rsaKey},
		{"PS384", jwt.SigningMethodPS384, rsaKey},
		{"ES256", jwt.SigningMethodES256, ecKey},
		{"EdDSA", jwt.SigningMethodEdDSA, edKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := v.Verify(context.Background(), sign(t, tc.method, tc.key, claims(nil), "")); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
	// The RSA public key's PEM used as an HMAC secret (algorithm confusion) is refused:
	// no HMAC secret is configured, and a public key never serves as one.
	pemBytes, _ := os.ReadFile(files[0])
	if got := reason(t, v, sign(t, jwt.SigningMethodHS256, pemBytes, claims(nil), "")); got != auth.ReasonSignature {
		t.Errorf("HS256 signed with the public key: reason %q, want signature", got)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	if got := reason(t, v, sign(t, jwt.SigningMethodRS256, other, claims(nil), "")); got != auth.ReasonSignature {
		t.Errorf("signed with another RSA key: reason %q", got)
	}
	// PKCS #1 and certificates are read too; a file without a key is an error.
	if _, err := auth.ReadPublicKeys(writePEM(t, "RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey))); err != nil {
		t.Errorf("PKCS #1: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.pem")
	os.WriteFile(empty, []byte("nothing here\n"), 0o644)
	if _, err := auth.ReadPublicKeys(empty); err == nil {
		t.Error("a file without a PEM key gave no error")
	}
}

func TestKeysFromAJWKSAreFetchedAndRefreshed(t *testing.T) {
	_, key1, _ := ed25519.GenerateKey(rand.Reader)
	_, key2, _ := ed25519.GenerateKey(rand.Reader)
	jwk := func(kid string, k ed25519.PrivateKey) map[string]any {
		return map[string]any{"kty": "OKP", "crv": "Ed25519", "kid": kid, "alg": "EdDSA", "use": "sig",
			"x": base64.RawURLEncoding.EncodeToString(k.Public().(ed25519.PublicKey))}
	}
	published := make(chan []map[string]any, 1)
	published <- []map[string]any{jwk("k1", key1)}
	fetches := make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := <-published
		published <- keys
		select {
		case fetches <- struct{}{}:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	}))
	// Closed after the test's context ends, which stops the refreshes.
	t.Cleanup(srv.Close)
	v := verifier(t, auth.Config{JWKSURL: srv.URL, JWKSRefresh: 50 * time.Millisecond})
	if _, err := v.Verify(context.Background(), sign(t, jwt.SigningMethodEdDSA, key1, claims(nil), "k1")); err != nil {
		t.Fatalf("a token of the published key is refused: %v", err)
	}
	if got := reason(t, v, sign(t, jwt.SigningMethodEdDSA, key2, claims(nil), "k2")); got != auth.ReasonSignature {
		t.Errorf("a token of an unpublished key: reason %q", got)
	}
	// The single sign-on rotates its key; the next refresh brings it.
	<-published
	published <- []map[string]any{jwk("k2", key2)}
	for range 3 {
		<-fetches
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := v.Verify(context.Background(), sign(t, jwt.SigningMethodEdDSA, key2, claims(nil), "k2"))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the rotated key was never fetched: %v", err)
		}
		<-fetches
	}
	// An HMAC token is refused: a published key set holds public keys only.
	if got := reason(t, v, sign(t, jwt.SigningMethodHS256, secret, claims(nil), "k2")); got != auth.ReasonSignature {
		t.Errorf("HS256 against a JWKS: reason %q", got)
	}
}

func TestSignerRefusesWhatTheVerifierWouldRefuse(t *testing.T) {
	s := auth.Signer{Secret: secret}
	for _, tc := range []struct {
		name string
		p    auth.Principal
		ttl  time.Duration
	}{
		{"no subject", auth.Principal{Role: auth.Admin}, time.Hour},
		{"an unknown role", auth.Principal{Subject: "a", Role: "root"}, time.Hour},
		{"an officer without areas", auth.Principal{Subject: "a", Role: auth.Officer}, time.Hour},
		{"an area that is not one", auth.Principal{Subject: "a", Role: auth.Officer, Areas: []string{"og-000001"}}, time.Hour},
		{"no lifetime", auth.Principal{Subject: "a", Role: auth.Admin}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tok, err := s.Sign(tc.p, tc.ttl); err == nil {
				t.Errorf("signed %q", tok)
			}
		})
	}
	if _, err := (auth.Signer{Secret: []byte("short")}).Sign(auth.Principal{Subject: "a", Role: auth.Admin}, time.Hour); err == nil {
		t.Error("signed with a 5-byte key")
	}
	if _, err := auth.NewVerifier(t.Context(), auth.Config{Secret: []byte("short")}); err == nil {
		t.Error("a verifier of a 5-byte secret was made")
	}
	if _, err := auth.NewVerifier(t.Context(), auth.Config{}); err == nil {
		t.Error("a verifier without keys was made")
	}
}
