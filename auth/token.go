package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"cobuild"
)

// Claims names the claims a token carries its principal in, so that tokens of an existing
// single sign-on can be read as they are.
type Claims struct {
	// Subject names the caller; default "sub".
	Subject string
	// Role holds one role as a string; default "role".
	Role string
	// Roles holds an array of roles, of which the first known one wins; default "roles".
	Roles string
	// Areas holds an array of area ids (ar-…); default "areas".
	Areas string
}

func (c Claims) withDefaults() Claims {
	if c.Subject == "" {
		c.Subject = "sub"
	}
	if c.Role == "" {
		c.Role = "role"
	}
	if c.Roles == "" {
		c.Roles = "roles"
	}
	if c.Areas == "" {
		c.Areas = "areas"
	}
	return c
}

// Config says which tokens a Verifier accepts: signed with one of its keys, unexpired,
// and, when Issuer or Audience is set, of that issuer and audience.
type Config struct {
	// Secret is an HMAC secret (HS256, HS384, HS512).
	Secret []byte
	// PublicKeys are RSA (RS*, PS*), ECDSA (ES*) and Ed25519 (EdDSA) public keys; see
	// ReadPublicKeys.
	PublicKeys []crypto.PublicKey
	// JWKSURL is a JSON Web Key Set to fetch the keys from, chosen by the token's kid.
	JWKSURL string
	// JWKSRefresh is how often the key set is fetched again; default an hour. A token
	// with an unknown kid also fetches it, at most once in five minutes.
	JWKSRefresh time.Duration
	// HTTPClient fetches the key set; nil: a client with a 10-second timeout.
	HTTPClient *http.Client
	// Issuer, when set, must be the token's iss; Audience, when set, one of its aud.
	Issuer, Audience string
	// Claims names the claims of the principal.
	Claims Claims
	// Leeway is the clock skew allowed on exp, nbf and iat; default 30 seconds.
	Leeway time.Duration
	// Logger reports failures to fetch the key set; nil: slog.Default().
	Logger *slog.Logger
}

// Configured says whether any key is configured.
func (c Config) Configured() bool {
	return len(c.Secret) > 0 || len(c.PublicKeys) > 0 || c.JWKSURL != ""
}

// Verifier verifies bearer tokens and reads the principal they name.
type Verifier struct {
	cfg     Config
	jwks    keyfunc.Keyfunc
	methods []string
	parser  *jwt.Parser
}

var (
	hmacMethods    = []string{"HS256", "HS384", "HS512"}
	rsaMethods     = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	ecdsaMethods   = []string{"ES256", "ES384", "ES512"}
	ed25519Methods = []string{"EdDSA"}
)

// NewVerifier returns a verifier of cfg's keys. With a JWKSURL it fetches the key set in
// the background until ctx is done; a key set that cannot be fetched yet is not an error
// here (tokens fail until it can be).
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	if !cfg.Configured() {
		return nil, errors.New("no token key configured: give an HMAC secret, public keys or a JWKS URL")
	}
	if len(cfg.Secret) > 0 && len(cfg.Secret) < 32 {
		return nil, fmt.Errorf("the HMAC secret has %d bytes; it needs at least 32", len(cfg.Secret))
	}
	cfg.Claims = cfg.Claims.withDefaults()
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	v := &Verifier{cfg: cfg}
	if len(cfg.Secret) > 0 {
		v.methods = append(v.methods, hmacMethods...)
	}
	for _, k := range cfg.PublicKeys {
		switch k.(type) {
		case *rsa.PublicKey:
			v.methods = append(v.methods, rsaMethods...)
		case *ecdsa.PublicKey:
			v.methods = append(v.methods, ecdsaMethods...)
		case ed25519.PublicKey:
			v.methods = append(v.methods, ed25519Methods...)
		default:
			return nil, fmt.Errorf("public key of type %T: want RSA, ECDSA or Ed25519", k)
		}
	}
	if cfg.JWKSURL != "" {
		refresh := cfg.JWKSRefresh
		if refresh <= 0 {
			refresh = time.Hour
		}
		client := cfg.HTTPClient
		if client == nil {
			client = &http.Client{Timeout: 10 * time.Second}
		}
		log := cfg.Logger
		jwks, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.JWKSURL}, keyfunc.Override{
			Client: client, RefreshInterval: refresh, HTTPTimeout: 10 * time.Second,
			// A token of an unknown kid fetches the set at once, at most once in five
			// minutes; within them it is refused at once rather than held waiting.
			RateLimitWaitMax: time.Millisecond,
			RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
				return func(ctx context.Context, err error) {
					log.WarnContext(ctx, "fetch the token key set", "url", u, "err", err)
				}
			},
		})
		if err != nil {
			return nil, fmt.Errorf("token key set %s: %w", cfg.JWKSURL, err)
		}
		v.jwks = jwks
		// Asymmetric only: an HMAC key in a published key set would be a shared secret.
		v.methods = append(v.methods, rsaMethods...)
		v.methods = append(v.methods, ecdsaMethods...)
		v.methods = append(v.methods, ed25519Methods...)
	}
	slices.Sort(v.methods)
	v.methods = slices.Compact(v.methods)
	opts := []jwt.ParserOption{jwt.WithValidMethods(v.methods), jwt.WithExpirationRequired(), jwt.WithLeeway(cfg.Leeway), jwt.WithIssuedAt()}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	v.parser = jwt.NewParser(opts...)
	return v, nil
}

// keys returns the keys that may have signed a token of t's algorithm: the configured
// ones of that kind, and the key set's key of t's kid.
func (v *Verifier) keys(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		var set jwt.VerificationKeySet
		alg := t.Method.Alg()
		if slices.Contains(hmacMethods, alg) && len(v.cfg.Secret) > 0 {
			set.Keys = append(set.Keys, v.cfg.Secret)
		}
		for _, k := range v.cfg.PublicKeys {
			switch k.(type) {
			case *rsa.PublicKey:
				if slices.Contains(rsaMethods, alg) {
					set.Keys = append(set.Keys, k)
				}
			case *ecdsa.PublicKey:
				if slices.Contains(ecdsaMethods, alg) {
					set.Keys = append(set.Keys, k)
				}
			case ed25519.PublicKey:
				if alg == "EdDSA" {
					set.Keys = append(set.Keys, k)
				}
			}
		}
		if v.jwks != nil && !slices.Contains(hmacMethods, alg) {
			if k, err := v.jwks.KeyfuncCtx(ctx)(t); err == nil {
				switch k := k.(type) {
				case jwt.VerificationKeySet:
					set.Keys = append(set.Keys, k.Keys...)
				default:
					set.Keys = append(set.Keys, k)
				}
			} else if len(set.Keys) == 0 {
				return nil, err
			}
		}
		if len(set.Keys) == 0 {
			return nil, fmt.Errorf("no key for %s", alg)
		}
		return set, nil
	}
}

// Rejection is why a token was refused, in the "reason" extension of the error.
const (
	ReasonMissing   = "missing"
	ReasonMalformed = "malformed"
	ReasonSignature = "signature"
	ReasonExpired   = "expired"
	ReasonNotYet    = "not_yet_valid"
	ReasonIssuer    = "issuer"
	ReasonAudience  = "audience"
	ReasonClaims    = "claims"
)

// unauthenticated is the error of a refused token: EUNAUTHENTICATED, a message in Chinese
// then English, and the reason.
func unauthenticated(reason, msg string) *cobuild.Error {
	return &cobuild.Error{Code: cobuild.EUNAUTHENTICATED, Message: msg, Extensions: map[string]any{"reason": reason}}
}

// ErrMissing is the error of a request that carries no token.
var ErrMissing = unauthenticated(ReasonMissing, "请先登录：请求没有携带登录凭证。Sign in first: the request carries no token.")

// Verify checks a token and returns its principal. Any failure is an EUNAUTHENTICATED
// *cobuild.Error whose message says why, never repeating the token.
func (v *Verifier) Verify(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, ErrMissing
	}
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(token, claims, v.keys(ctx)); err != nil {
		return nil, refusal(err)
	}
	return v.principal(claims)
}

// refusal says why the parser refused a token.
func refusal(err error) *cobuild.Error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return unauthenticated(ReasonMalformed, "登录凭证格式不正确。The token is malformed.")
	case errors.Is(err, jwt.ErrTokenExpired):
		return unauthenticated(ReasonExpired, "登录凭证已过期，请重新登录。The token has expired; sign in again.")
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return unauthenticated(ReasonNotYet, "登录凭证尚未生效。The token is not valid yet.")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return unauthenticated(ReasonIssuer, "登录凭证不是由受信任的签发方签发的。The token was not issued by the trusted issuer.")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return unauthenticated(ReasonAudience, "登录凭证不是签发给本系统的。The token was not issued for this service.")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return unauthenticated(ReasonClaims, "登录凭证缺少必需的声明（有效期 exp，或所配置的 iss、aud）。The token lacks a required claim (exp, or the iss or aud configured).")
	}
	return unauthenticated(ReasonSignature, "登录凭证的签名无法验证。The token's signature cannot be verified.")
}

// principal reads the principal from verified claims.
func (v *Verifier) principal(claims jwt.MapClaims) (*Principal, error) {
	names := v.cfg.Claims
	sub, _ := claims[names.Subject].(string)
	if strings.TrimSpace(sub) == "" {
		return nil, unauthenticated(ReasonClaims, fmt.Sprintf("登录凭证没有注明用户（%s）。The token names no subject (%s).", names.Subject, names.Subject))
	}
	p := &Principal{Subject: sub}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		p.Expires = exp.Time
	}
	if r, ok := claims[names.Role].(string); ok && Role(strings.ToLower(r)).Valid() {
		p.Role = Role(strings.ToLower(r))
	} else if rs, ok := claims[names.Roles].([]any); ok {
		for _, r := range rs {
			if s, ok := r.(string); ok && Role(strings.ToLower(s)).Valid() {
				p.Role = Role(strings.ToLower(s))
				break
			}
		}
	}
	if p.Role == "" {
		return nil, unauthenticated(ReasonClaims, fmt.Sprintf("登录凭证没有可识别的角色（%s 或 %s：admin、analyst、officer、viewer）。The token has no known role (%s or %s: admin, analyst, officer, viewer).",
			names.Role, names.Roles, names.Role, names.Roles))
	}
	if raw, ok := claims[names.Areas]; ok {
		list, ok := raw.([]any)
		if !ok {
			return nil, unauthenticated(ReasonClaims, fmt.Sprintf("登录凭证的辖区（%s）应为区域编号数组。The token's areas (%s) must be an array of area ids.", names.Areas, names.Areas))
		}
		for _, a := range list {
			id, _ := a.(string)
			if cobuild.CheckID(id, cobuild.LabelArea) != nil {
				return nil, unauthenticated(ReasonClaims, fmt.Sprintf("登录凭证的辖区 %q 不是区域编号（ar-…）。The token's area %q is not an area id (ar-…).", id, id))
			}
			p.Areas = append(p.Areas, id)
		}
	}
	if p.Role == Officer && len(p.Areas) == 0 {
		return nil, unauthenticated(ReasonClaims, fmt.Sprintf("街镇园区工作人员的登录凭证必须注明辖区（%s）。An officer's token must name their areas (%s).", names.Areas, names.Areas))
	}
	return p, nil
}

// Signer issues tokens signed with an HMAC secret: the install's own key, for `cobuild
// token` and the sign-in link of `cobuild serve`.
type Signer struct {
	Secret []byte
	// Claims names the claims written, as the verifier reads them.
	Claims Claims
	// Issuer and Audience, when set, are written as iss and aud.
	Issuer, Audience string
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// Sign returns an HS256 token naming p, valid for ttl.
func (s Signer) Sign(p Principal, ttl time.Duration) (string, error) {
	if len(s.Secret) < 32 {
		return "", errors.New("the signing key needs at least 32 bytes")
	}
	if p.Subject == "" || !p.Role.Valid() {
		return "", fmt.Errorf("a token needs a subject and one of the roles %v", Roles)
	}
	if p.Role == Officer && len(p.Areas) == 0 {
		return "", errors.New("an officer's token needs their areas")
	}
	for _, a := range p.Areas {
		if err := cobuild.CheckID(a, cobuild.LabelArea); err != nil {
			return "", err
		}
	}
	if ttl <= 0 {
		return "", errors.New("a token's lifetime must be positive")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	names := s.Claims.withDefaults()
	t := now()
	claims := jwt.MapClaims{names.Subject: p.Subject, names.Role: string(p.Role), "iat": t.Unix(), "exp": t.Add(ttl).Unix()}
	if len(p.Areas) > 0 {
		claims[names.Areas] = p.Areas
	}
	if s.Issuer != "" {
		claims["iss"] = s.Issuer
	}
	if s.Audience != "" {
		claims["aud"] = s.Audience
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.Secret)
}

// ReadPublicKeys reads the public keys of PEM files: PUBLIC KEY (PKIX: RSA, ECDSA or
// Ed25519), RSA PUBLIC KEY (PKCS #1) or CERTIFICATE blocks, any number per file.
func ReadPublicKeys(files ...string) ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read public key: %w", err)
		}
		n := 0
		for {
			var block *pem.Block
			block, b = pem.Decode(b)
			if block == nil {
				break
			}
			var k crypto.PublicKey
			switch block.Type {
			case "PUBLIC KEY":
				k, err = x509.ParsePKIXPublicKey(block.Bytes)
			case "RSA PUBLIC KEY":
				k, err = x509.ParsePKCS1PublicKey(block.Bytes)
			case "CERTIFICATE":
				var c *x509.Certificate
				if c, err = x509.ParseCertificate(block.Bytes); err == nil {
					k = c.PublicKey
				}
			default:
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("public key in %s: %w", f, err)
			}
			switch k.(type) {
			case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			default:
				return nil, fmt.Errorf("public key in %s is a %T: want RSA, ECDSA or Ed25519", f, k)
			}
			keys = append(keys, k)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("%s holds no PEM public key", f)
		}
	}
	return keys, nil
}
