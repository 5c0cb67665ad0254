package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"cobuild"
	"cobuild/auth"
)

// CookieName is the cookie the sign-in page sets, holding the token.
const CookieName = "cobuild_token"

// public paths answer without a token: the health checks and signing in and out.
var public = map[string]bool{"/healthz": true, "/readyz": true, "/signin": true, "/signout": true}

// tokenOf returns the token of a request: the Authorization header's bearer token, else the
// sign-in cookie's.
func tokenOf(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		// Another scheme (Basic...) is no token; refused as a malformed one rather than
		// falling back to the cookie, so that the caller learns why.
		return h
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value
	}
	return ""
}

// authenticate puts the principal of each request's token into its context
// (auth.NewContext). Without a valid token a request reaches only the public paths,
// /graphql and /export, which answer 401 UNAUTHENTICATED themselves (requireToken, inside CORS, so that
// pages elsewhere can read why); pages (the dashboard, GraphiQL) redirect to the sign-in
// page. A nil verifier accepts no token.
func authenticate(v *auth.Verifier, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := tokenOf(r)
		var who *auth.Principal
		err := error(auth.ErrMissing)
		if token != "" && v != nil {
			who, err = v.Verify(r.Context(), token)
		}
		switch {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), who)))
		case public[r.URL.Path]:
			next.ServeHTTP(w, r)
		case r.URL.Path == "/graphql" || r.URL.Path == "/export":
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), refusedKey{}, refused{err, token != ""})))
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		default:
			unauthenticated(w, err, token != "")
		}
	})
}

// refused is why authenticate found no principal for a request.
type refused struct {
	err      error
	hadToken bool
}

type refusedKey struct{}

// requireToken answers 401 UNAUTHENTICATED to a request without a principal; CORS
// preflight requests, which never carry credentials and read nothing, pass.
func requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.FromContext(r.Context()) == nil && r.Method != http.MethodOptions {
			why, ok := r.Context().Value(refusedKey{}).(refused)
			if !ok {
				why = refused{err: auth.ErrMissing}
			}
			unauthenticated(w, why.err, why.hadToken)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unauthenticated answers 401 with a GraphQL error of code UNAUTHENTICATED.
func unauthenticated(w http.ResponseWriter, err error, hadToken bool) {
	challenge := `Bearer realm="cobuild"`
	if hadToken {
		challenge += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Cache-Control", "no-store")
	writeError(w, http.StatusUnauthorized, &cobuild.Error{Code: cobuild.EUNAUTHENTICATED, Message: cobuild.ErrorMessage(err), Extensions: cobuild.ErrorExtensions(err)})
}

// signInStyle is the sign-in page's only style, allowed by its hash: the page runs no
// script and loads nothing.
const signInStyle = `body{font:16px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}textarea{width:100%;font:13px monospace;box-sizing:border-box}button{font-size:1rem;padding:.4rem 1.2rem}
.error{color:#b42318;background:#fef3f2;padding:.6rem .8rem;border-radius:4px}.ok{background:#ecfdf3;padding:.6rem .8rem;border-radius:4px}
.muted{color:#667085;font-size:.9rem}`

var signInCSP = func() string {
	sum := sha256.Sum256([]byte(signInStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}()

var signInPage = template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · Sign in · cobuild</title><style>{{.Style}}</style></head>
<body>
<h1>登录 cobuild · Sign in</h1>
{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
{{if .Who}}<p class="ok">已登录：{{.Who.Subject}}（{{.Who.Role}}）。Signed in as {{.Who.Subject}} ({{.Who.Role}}).
<a href="{{.Next}}">继续 · Continue</a> · <a href="/signout">退出 · Sign out</a></p>{{end}}
<form method="post" action="/signin">
<p><label for="token">粘贴登录凭证（JWT）。Paste your token (JWT).</label></p>
<p><textarea id="token" name="token" rows="6" required autocomplete="off" spellcheck="false"></textarea></p>
<input type="hidden" name="next" value="{{.Next}}">
<p><button type="submit">登录 · Sign in</button></p>
</form>
<p class="muted">凭证由单点登录系统签发，或在服务器上运行 <code>cobuild token -role analyst</code> 获取。
A token comes from your single sign-on, or from <code>cobuild token -role analyst</code> on the server.</p>
</body></html>
`))

type signInView struct {
	Style template.CSS
	Error string
	Who   *auth.Principal
	Next  string
}

// safeNext returns where to go after signing in: a path of this server (never another
// host), default the dashboard.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/dashboard/"
	}
	return u.RequestURI()
}

// signIn serves /signin: GET shows the page (or, with ?token=, signs in as the sign-in
// link does), POST signs in with the pasted token. Signing in checks the token, sets it in
// an HttpOnly, SameSite=Strict cookie that lasts as long as the token, and redirects
// (303) to next.
func signIn(v *auth.Verifier) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", signInCSP)
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		view := signInView{Style: template.CSS(signInStyle), Next: safeNext(r.URL.Query().Get("next"))}
		token := r.URL.Query().Get("token")
		if r.Method == http.MethodPost {
			if o := r.Header.Get("Origin"); o != "" && o != "null" {
				if u, err := url.Parse(o); err != nil || u.Host != r.Host {
					http.Error(w, "cross-site sign-in refused", http.StatusForbidden)
					return
				}
			}
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if err := r.ParseForm(); err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			token = strings.TrimSpace(r.PostForm.Get("token"))
			view.Next = safeNext(r.PostForm.Get("next"))
			if token == "" {
				view.Error = auth.ErrMissing.Message
			}
		}
		status := http.StatusOK
		if token != "" {
			who, err := verify(v, r, token)
			if err == nil {
				maxAge := 12 * 60 * 60
				if !who.Expires.IsZero() {
					maxAge = int(time.Until(who.Expires).Seconds())
				}
				http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", MaxAge: max(maxAge, 1),
					HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(r)})
				http.Redirect(w, r, view.Next, http.StatusSeeOther)
				return
			}
			view.Error, status = cobuild.ErrorMessage(err), http.StatusUnauthorized
		} else if c, err := r.Cookie(CookieName); err == nil && r.Method == http.MethodGet {
			// Say why the last sign-in no longer holds (expired, say), or who is signed in.
			if who, err := verify(v, r, c.Value); err != nil {
				view.Error = cobuild.ErrorMessage(err)
			} else {
				view.Who = who
			}
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		signInPage.Execute(w, view)
	}
}

func verify(v *auth.Verifier, r *http.Request, token string) (*auth.Principal, error) {
	if v == nil {
		return nil, cobuild.Errorf(cobuild.EUNAUTHENTICATED, "服务器未配置登录凭证的密钥。The server has no token key configured.")
	}
	return v.Verify(r.Context(), token)
}

// signOut serves /signout: it clears the cookie and goes back to the sign-in page.
func signOut(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secure(r)})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// secure says whether the request came over HTTPS, directly or through a proxy, so that
// the cookie is only ever sent back over HTTPS; on plain HTTP (127.0.0.1) it is not.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// wsInit admits a WebSocket whose upgrade request carried a valid token, or whose
// connection_init payload carries one (Authorization: "Bearer …") that v verifies.
func wsInit(v *auth.Verifier) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		if auth.FromContext(ctx) != nil {
			return ctx, nil, nil
		}
		token := payload.Authorization()
		if scheme, rest, ok := strings.Cut(token, " "); ok && strings.EqualFold(scheme, "Bearer") {
			token = rest
		}
		if v == nil || token == "" {
			return ctx, nil, &cobuild.Error{Code: cobuild.EUNAUTHENTICATED, Message: cobuild.ErrorMessage(auth.ErrMissing)}
		}
		p, err := v.Verify(ctx, strings.TrimSpace(token))
		if err != nil {
			return ctx, nil, &cobuild.Error{Code: cobuild.EUNAUTHENTICATED, Message: cobuild.ErrorMessage(err)}
		}
		return auth.NewContext(ctx, p), nil, nil
	}
}
