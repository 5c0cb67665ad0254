package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cobuild"
	"cobuild/auth"
	"cobuild/neo4jtest"
)

func send(h http.Handler, method, target string, body string, header ...string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// refusal decodes a 401 answer of /graphql: its code and reason.
func refusal(t *testing.T, rec *httptest.ResponseRecorder) (code, reason, message string) {
	t.Helper()
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401: %s", rec.Code, rec.Body.String())
	}
	if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate %q, want a Bearer challenge", rec.Header().Get("WWW-Authenticate"))
	}
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || len(r.Errors) != 1 {
		t.Fatalf("401 body is not one GraphQL error: %s", rec.Body.String())
	}
	code, _ = r.Errors[0].Extensions["code"].(string)
	reason, _ = r.Errors[0].Extensions["reason"].(string)
	return code, reason, r.Errors[0].Message
}

func TestWithoutATokenOnlyTheHealthChecksAndTheSignInPageAnswer(t *testing.T) {
	h := bare()
	for _, tc := range []struct {
		method, path string
		status       int
		body         string // the whole body, or the redirect's Location
	}{
		{"GET", "/healthz", 200, `{"status":"ok"}`},
		{"GET", "/readyz", 503, `{"status":"unavailable"}`},
		{"GET", "/", 303, "/signin?next=%2F"},
		{"GET", "/dashboard/", 303, "/signin?next=%2Fdashboard%2F"},
		{"GET", "/dashboard/assets/index.js", 303, "/signin?next=%2Fdashboard%2Fassets%2Findex.js"},
		{"GET", "/dashboard/?tab=grading", 303, "/signin?next=%2Fdashboard%2F%3Ftab%3Dgrading"},
		{"POST", "/dashboard/", 401, ""},
	} {
		rec := send(h, tc.method, tc.path, "")
		if rec.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, rec.Code, tc.status)
			continue
		}
		switch {
		case tc.status == 303 && rec.Header().Get("Location") != tc.body:
			t.Errorf("%s %s: redirects to %q, want %q", tc.method, tc.path, rec.Header().Get("Location"), tc.body)
		case tc.status != 303 && tc.body != "" && strings.TrimSpace(rec.Body.String()) != tc.body:
			t.Errorf("%s %s: body %s, want %s", tc.method, tc.path, rec.Body.String(), tc.body)
		}
	}
	// Signed in, readiness says why it is not ready.
	if rec := send(h, "GET", "/readyz", "", "Authorization", "Bearer "+neo4jtest.Token(t, auth.Viewer)); strings.TrimSpace(rec.Body.String()) != `{"reason":"no store","status":"unavailable"}` {
		t.Errorf("GET /readyz signed in: %s", rec.Body.String())
	}
	if rec := send(h, "GET", "/signin", ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `<form method="post" action="/signin">`) {
		t.Errorf("GET /signin: status %d, body %.300s", rec.Code, rec.Body.String())
	}
	for _, method := range []string{"GET", "POST"} {
		target := "/graphql?query=%7B__typename%7D"
		body := ""
		if method == "POST" {
			target, body = "/graphql", `{"query":"{__typename}"}`
		}
		code, reason, msg := refusal(t, send(h, method, target, body, "Content-Type", "application/json"))
		if code != cobuild.EUNAUTHENTICATED || reason != auth.ReasonMissing || !strings.Contains(msg, "请先登录") || !strings.Contains(msg, "Sign in first") {
			t.Errorf("%s /graphql without a token: code %q, reason %q, message %q", method, code, reason, msg)
		}
	}
}

func TestBadTokensAreRefusedWithTheirReason(t *testing.T) {
	h := bare()
	expired := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "a", "role": "admin", "exp": time.Now().Add(-time.Hour).Unix()})
	expiredToken, _ := expired.SignedString(neo4jtest.Secret)
	otherKey, _ := auth.Signer{Secret: []byte("a secret that no one configured, 32+")}.Sign(auth.Principal{Subject: "a", Role: auth.Admin}, time.Hour)
	for _, tc := range []struct{ name, header, reason string }{
		{"a malformed token", "Bearer not.a.token", auth.ReasonMalformed},
		{"an expired token", "Bearer " + expiredToken, auth.ReasonExpired},
		{"a token signed with another key", "Bearer " + otherKey, auth.ReasonSignature},
		{"another scheme", "Basic YWRtaW46YWRtaW4=", auth.ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(h, "POST", "/graphql", `{"query":"{__typename}"}`, "Content-Type", "application/json", "Authorization", tc.header)
			code, reason, msg := refusal(t, rec)
			if code != cobuild.EUNAUTHENTICATED || reason != tc.reason {
				t.Errorf("code %q, reason %q; want UNAUTHENTICATED, %q", code, reason, tc.reason)
			}
			if !strings.Contains(rec.Header().Get("WWW-Authenticate"), `error="invalid_token"`) {
				t.Errorf("WWW-Authenticate %q lacks invalid_token", rec.Header().Get("WWW-Authenticate"))
			}
			if strings.Contains(msg, strings.TrimPrefix(tc.header, "Bearer ")) {
				t.Errorf("the message repeats the token: %q", msg)
			}
		})
	}
	// A bad token is never a way around the pages' sign-in either.
	if rec := send(h, "GET", "/dashboard/", "", "Cookie", sessionCookie(expiredToken)); rec.Code != 303 {
		t.Errorf("GET /dashboard/ with an expired cookie: status %d, want a redirect to sign in", rec.Code)
	}
}

func sessionCookie(token string) string { return "cobuild_token=" + token }

// cookieOf returns the sign-in cookie a response sets.
func cookieOf(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == "cobuild_token" {
			return c
		}
	}
	return nil
}

func TestTheSignInLinkSetsAStrictHttpOnlyCookieAndRedirects(t *testing.T) {
	h := bare()
	token := neo4jtest.Token(t, auth.Analyst)
	for _, tc := range []struct{ next, want string }{
		{"", "/dashboard/"},
		{"/", "/"},
		{"/dashboard/?tab=grading", "/dashboard/?tab=grading"},
		{"//evil.example.com/", "/dashboard/"},
		{"https://evil.example.com/", "/dashboard/"},
		{`/\evil.example.com`, "/dashboard/"},
		{"javascript:alert(1)", "/dashboard/"},
	} {
		q := url.Values{"token": {token}}
		if tc.next != "" {
			q.Set("next", tc.next)
		}
		rec := send(h, "GET", "/signin?"+q.Encode(), "")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tc.want {
			t.Errorf("sign-in link with next=%q: status %d, Location %q; want 303 to %q", tc.next, rec.Code, rec.Header().Get("Location"), tc.want)
		}
	}
	rec := send(h, "GET", "/signin?"+url.Values{"token": {token}}.Encode(), "")
	c := cookieOf(rec)
	if c == nil {
		t.Fatal("the sign-in link set no cookie")
	}
	if c.Value != token || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie %+v: want the token, HttpOnly, SameSite=Strict, Path=/, not Secure over plain HTTP", c)
	}
	if c.MaxAge < 3500 || c.MaxAge > 3600 {
		t.Errorf("cookie Max-Age %d, want the token's remaining hour", c.MaxAge)
	}
	// Over HTTPS (behind a proxy) the cookie is Secure.
	if c := cookieOf(send(h, "GET", "/signin?"+url.Values{"token": {token}}.Encode(), "", "X-Forwarded-Proto", "https")); c == nil || !c.Secure {
		t.Errorf("cookie behind HTTPS: %+v, want Secure", c)
	}
	// The cookie is a token: /graphql answers with it, as with the header.
	if rec := send(h, "POST", "/graphql", `{"query":"{__typename}"}`, "Content-Type", "application/json", "Cookie", c.String()); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"Query"`) {
		t.Errorf("/graphql with the cookie: status %d, body %s", rec.Code, rec.Body.String())
	}
	// A bad token signs nobody in: the page says why, and sets no cookie.
	bad := send(h, "GET", "/signin?token=not.a.token", "")
	if bad.Code != http.StatusUnauthorized || cookieOf(bad) != nil || !strings.Contains(bad.Body.String(), "登录凭证格式不正确") {
		t.Errorf("sign-in with a bad token: status %d, cookie %v, body %.400s", bad.Code, cookieOf(bad), bad.Body.String())
	}
}

func TestTheSignInFormAndSigningOut(t *testing.T) {
	h := bare()
	token := neo4jtest.Token(t, auth.Viewer)
	form := url.Values{"token": {token}, "next": {"/"}}.Encode()
	rec := send(h, "POST", "/signin", form, "Content-Type", "application/x-www-form-urlencoded", "Origin", "http://example.com")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" || cookieOf(rec) == nil {
		t.Fatalf("POST /signin: status %d, Location %q, cookie %v", rec.Code, rec.Header().Get("Location"), cookieOf(rec))
	}
	if rec := send(h, "POST", "/signin", form, "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example.com"); rec.Code != http.StatusForbidden || cookieOf(rec) != nil {
		t.Errorf("POST /signin from another site: status %d, cookie %v; want 403 and none", rec.Code, cookieOf(rec))
	}
	if rec := send(h, "POST", "/signin", "token=", "Content-Type", "application/x-www-form-urlencoded"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "请先登录") {
		t.Errorf("POST /signin without a token: status %d, body %.300s", rec.Code, rec.Body.String())
	}
	// Signed in, the page says as whom.
	if rec := send(h, "GET", "/signin", "", "Cookie", sessionCookie(token)); !strings.Contains(rec.Body.String(), "test:viewer") {
		t.Errorf("GET /signin signed in: does not name the user: %.500s", rec.Body.String())
	}
	out := send(h, "GET", "/signout", "", "Cookie", sessionCookie(token))
	c := cookieOf(out)
	if out.Code != http.StatusSeeOther || out.Header().Get("Location") != "/signin" || c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("GET /signout: status %d, Location %q, cookie %+v; want 303 to /signin clearing the cookie", out.Code, out.Header().Get("Location"), c)
	}
}

func TestTheSignInPageRunsNoScriptAndLoadsNothing(t *testing.T) {
	rec := send(bare(), "GET", "/signin", "")
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q allows inline code or scripts", csp)
	}
	body := rec.Body.String()
	if strings.Contains(strings.ToLower(body), "<script") || strings.Contains(body, " on") && regexp.MustCompile(`\son[a-z]+=`).MatchString(body) {
		t.Errorf("the sign-in page has a script or an event handler:\n%s", body)
	}
	// The one inline style is the one the CSP's hash allows.
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
	if style == nil {
		t.Fatal("the sign-in page has no style")
	}
	sum := sha256.Sum256([]byte(style[1]))
	if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the page's style is not the one the CSP allows")
	}
	if rec.Header().Get("Referrer-Policy") != "no-referrer" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("sign-in page: Referrer-Policy %q, Cache-Control %q", rec.Header().Get("Referrer-Policy"), rec.Header().Get("Cache-Control"))
	}
}

func TestAPageElsewhereCanReadWhyItWasRefused(t *testing.T) {
	const origin = "https://dash.example.org"
	rec := send(bare(origin), "POST", "/graphql", `{"query":"{__typename}"}`, "Content-Type", "application/json", "Origin", origin)
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("401 to %s: status %d, Allow-Origin %q; want the origin named so that its page can read the error", origin, rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", http.MethodPost)
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	pre := httptest.NewRecorder()
	bare(origin).ServeHTTP(pre, req)
	if !strings.Contains(strings.ToLower(pre.Header().Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("preflight: Allow-Headers %q lacks Authorization, which a page elsewhere sends its token in", pre.Header().Get("Access-Control-Allow-Headers"))
	}
}
