package githubtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// AuthKind says how a request authenticated.
type AuthKind string

// Authentication kinds recorded on each Request.
const (
	AuthNone    AuthKind = "none"
	AuthJWT     AuthKind = "jwt"     // Authorization: Bearer <App JWT>
	AuthToken   AuthKind = "token"   // Authorization: token <installation token>
	AuthInvalid AuthKind = "invalid" // a credential GitHub would answer 401 "Bad credentials" to
)

const (
	authNone    = AuthNone
	authJWT     = AuthJWT
	authToken   = AuthToken
	authInvalid = AuthInvalid
)

type authInfo struct {
	kind         AuthKind
	installation *installation // for AuthToken
	token        string
	reason       string // why a credential was refused, for the request log
}

type accessToken struct {
	token        string
	installation int64
	expiresAt    time.Time
	repos        map[int64]bool // nil: every repository of the installation
	permissions  map[string]string
}

type codeloadToken struct {
	repo      int64
	expiresAt time.Time
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("githubtest: crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}

// authenticate classifies the Authorization header. Both "token" and "Bearer" carry installation tokens
// on GitHub; "Bearer" with something that parses as a JWT is App authentication.
func (s *Server) authenticate(r *http.Request) authInfo {
	h := r.Header.Get("Authorization")
	if h == "" {
		return authInfo{kind: authNone}
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok {
		return authInfo{kind: authInvalid, reason: "malformed Authorization header"}
	}
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "bearer":
		if strings.Count(cred, ".") == 2 {
			if err := s.verifyJWT(cred); err != nil {
				return authInfo{kind: authInvalid, reason: err.Error()}
			}
			return authInfo{kind: authJWT}
		}
		return s.tokenAuth(cred)
	case "token":
		return s.tokenAuth(cred)
	}
	return authInfo{kind: authInvalid, reason: "unknown scheme " + scheme}
}

func (s *Server) tokenAuth(tok string) authInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tok]
	if !ok {
		return authInfo{kind: authInvalid, reason: "unknown token"}
	}
	if !s.clock.now().Before(t.expiresAt) {
		return authInfo{kind: authInvalid, reason: "token expired at " + t.expiresAt.Format(time.RFC3339)}
	}
	inst, ok := s.installations[t.installation]
	if !ok {
		return authInfo{kind: authInvalid, reason: "installation deleted"}
	}
	return authInfo{kind: authToken, installation: inst, token: tok}
}

// verifyJWT applies GitHub's rules for App JWTs: RS256 signed by the App key, iss = App id, integer
// iat in the past and integer exp in the future but at most 10 minutes ahead. Times are wall-clock
// times, because that is the clock the client signed with.
func (s *Server) verifyJWT(raw string) error {
	parser := jwt.Parser{UseJSONNumber: true, SkipClaimsValidation: true}
	claims := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		if tok.Method.Alg() != "RS256" {
			return nil, fmt.Errorf("alg %s, want RS256", tok.Method.Alg())
		}
		return &s.key.PublicKey, nil
	})
	if err != nil {
		return fmt.Errorf("jwt: %w", err)
	}
	intClaim := func(name string) (int64, error) {
		v, ok := claims[name]
		if !ok {
			return 0, fmt.Errorf("jwt: missing %s", name)
		}
		n, ok := v.(json.Number)
		if !ok {
			return 0, fmt.Errorf("jwt: %s is not a number", name)
		}
		i, err := n.Int64()
		if err != nil {
			f, ferr := n.Float64()
			if ferr == nil && f != math.Trunc(f) {
				return 0, fmt.Errorf("jwt: %s must be an integer, got %s", name, n)
			}
			return 0, fmt.Errorf("jwt: %s: %w", name, err)
		}
		return i, nil
	}
	iat, err := intClaim("iat")
	if err != nil {
		return err
	}
	exp, err := intClaim("exp")
	if err != nil {
		return err
	}
	now := time.Now().Unix()
	const skew = 60 // GitHub tolerates a little drift; ghinstallation backdates iat by 30 s
	if iat > now+skew {
		return fmt.Errorf("jwt: iat %d is in the future", iat)
	}
	if exp <= now {
		return fmt.Errorf("jwt: expired at %d", exp)
	}
	if exp > now+10*60+skew {
		return fmt.Errorf("jwt: exp %d is more than 10 minutes ahead", exp)
	}
	switch iss := claims["iss"].(type) {
	case string:
		if iss != strconv.FormatInt(s.cfg.appID, 10) {
			return fmt.Errorf("jwt: iss %q is not the App id", iss)
		}
	case json.Number:
		if iss.String() != strconv.FormatInt(s.cfg.appID, 10) {
			return fmt.Errorf("jwt: iss %s is not the App id", iss)
		}
	default:
		return fmt.Errorf("jwt: missing iss")
	}
	return nil
}

// repoForCall resolves {owner}/{repo} for an installation-token request: the repository must exist
// and be covered by the token, else 404 as on GitHub (which does not reveal private repositories).
func (s *Server) repoForCall(c *call) (*repository, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[strings.ToLower(c.param("owner")+"/"+c.param("repo"))]
	if !ok || c.auth.installation == nil || !c.auth.installation.covers(r) {
		return nil, false
	}
	if t := s.tokens[c.auth.token]; t != nil && t.repos != nil && !t.repos[r.ID] {
		return nil, false
	}
	return r, true
}

// IssueToken mints an installation token without going through the API, for tests that want to call
// the fake with a plain http.Client.
func (s *Server) IssueToken(installationID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.installations[installationID]; !ok {
		s.fatalf("IssueToken: no installation %d", installationID)
		return ""
	}
	return s.mintLocked(installationID, nil, nil).token
}

func (s *Server) mintLocked(id int64, repos map[int64]bool, perms map[string]string) *accessToken {
	t := &accessToken{
		token:        "ghs_" + randomHex(18),
		installation: id,
		expiresAt:    s.clock.now().Add(s.cfg.tokenLifetime),
		repos:        repos,
		permissions:  perms,
	}
	s.tokens[t.token] = t
	return t
}
