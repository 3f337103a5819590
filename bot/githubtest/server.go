package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// apiPrefix is where the REST API lives, as on GitHub Enterprise Server. Serving under a prefix makes a
// client that builds absolute URLs by hand (and so drops the prefix) fail loudly with a 404.
const apiPrefix = "/api/v3"

// Server is a fake GitHub: a real HTTP server on 127.0.0.1 with in-memory state. All methods are safe for
// concurrent use.
type Server struct {
	// URL is the server's root, e.g. "http://127.0.0.1:41234" (web URLs, raw downloads, codeload).
	URL string

	cfg    config
	hs     *httptest.Server
	clock  *fakeClock
	key    *rsa.PrivateKey
	keyPEM []byte
	tb     testing.TB
	routes []route

	ids    atomic.Int64 // every id the fake hands out, so ids never collide across kinds
	reqSeq atomic.Int64

	mu             sync.Mutex
	accounts       map[string]*account // by lower-case login
	installations  map[int64]*installation
	repos          map[string]*repository // by lower-case "owner/name"
	tokens         map[string]*accessToken
	codeloadTokens map[string]codeloadToken
	buckets        map[string]*rateBucket
	faults         []*faultState
	requests       []Request
}

// New starts a fake GitHub for a test and closes it when the test ends. Set-up helpers (AddRepo, Commit,
// OpenPR, …) report misuse with t.Fatalf.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("githubtest: %v", err)
	}
	s.tb = t
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake GitHub outside a test (distill demo runs one in-process). Call Close when done.
// Set-up helpers panic on misuse, since there is no test to fail.
func Start(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate app key: %w", err)
	}
	s := &Server{
		cfg:            cfg,
		clock:          newFakeClock(cfg.start),
		key:            key,
		keyPEM:         pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		accounts:       map[string]*account{},
		installations:  map[int64]*installation{},
		repos:          map[string]*repository{},
		tokens:         map[string]*accessToken{},
		codeloadTokens: map[string]codeloadToken{},
		buckets:        map[string]*rateBucket{},
	}
	s.ids.Store(1000)
	s.routes = s.routeTable()
	s.account(cfg.appOwner, "Organization")
	s.botAccount()
	s.hs = httptest.NewServer(s)
	s.URL = s.hs.URL
	return s, nil
}

// Close shuts the server down.
func (s *Server) Close() { s.hs.Close() }

// Client returns an *http.Client with no authentication that talks to the server (for raw requests in
// tests; bot code should use ghinstallation as in production).
func (s *Server) Client() *http.Client { return s.hs.Client() }

// APIURL is the REST base URL with its trailing slash, e.g. "http://127.0.0.1:41234/api/v3/".
// go-github: github.NewClient(hc).WithEnterpriseURLs(s.URL, s.URL) gives the same base.
func (s *Server) APIURL() string { return s.URL + apiPrefix + "/" }

// AppID is the id of the fake's only GitHub App.
func (s *Server) AppID() int64 { return s.cfg.appID }

// AppSlug is the App's slug (default "distill-test").
func (s *Server) AppSlug() string { return s.cfg.appSlug }

// BotLogin is the login the App acts as, "<slug>[bot]".
func (s *Server) BotLogin() string { return s.cfg.appSlug + "[bot]" }

// BotUserID is the user id of BotLogin.
func (s *Server) BotUserID() int64 { return s.cfg.botUserID }

// PrivateKeyPEM is the App's RSA private key (PKCS#1 PEM), as ghinstallation.New expects it.
func (s *Server) PrivateKeyPEM() []byte { return append([]byte(nil), s.keyPEM...) }

// Now is the fake clock: wall time plus everything passed to Advance. Timestamps in responses and token
// expiry use it. JWTs are checked against the wall clock instead, because clients (ghinstallation)
// sign them with theirs and cannot see the fake clock.
func (s *Server) Now() time.Time { return s.clock.now() }

// Advance moves the fake clock forward, e.g. Advance(61*time.Minute) to expire installation tokens.
func (s *Server) Advance(d time.Duration) { s.clock.advance(d) }

func (s *Server) newID() int64 { return s.ids.Add(1) }

// fatalf reports set-up misuse: through the test when there is one, by panicking otherwise.
func (s *Server) fatalf(format string, args ...any) {
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatalf("githubtest: "+format, args...)
		return
	}
	panic(fmt.Sprintf("githubtest: "+format, args...))
}

func (s *Server) apiBase() string { return s.URL + apiPrefix }

// ServeHTTP runs the request through what GitHub does before a handler sees it: request id, recording,
// injected faults, authentication, the primary rate limit and routing.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	reqID := fmt.Sprintf("F%03X:%04X:%06X:%07X:%08X", s.reqSeq.Add(1)%4096, 0x1A2B, s.reqSeq.Load(), 0xC0FFEE, s.clock.now().Unix()&0xffffffff)
	rw := &recordingWriter{ResponseWriter: w}
	c := &call{s: s, w: rw, r: r, body: body, reqID: reqID}
	h := w.Header()
	h.Set("X-GitHub-Request-Id", reqID)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	defer s.record(c, rw)

	c.auth = s.authenticate(r)
	if f := s.takeFault(r.Method, c.recordPath()); f != nil {
		if f.Latency > 0 {
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				return
			}
		}
		if f.Status != 0 {
			s.writeRateHeaders(c, false)
			s.writeFault(c, f)
			return
		}
	}

	switch {
	case strings.HasPrefix(r.URL.Path, apiPrefix+"/"):
		s.serveAPI(c)
	case strings.HasPrefix(r.URL.Path, "/raw/"):
		s.serveRaw(c)
	case strings.HasPrefix(r.URL.Path, "/_codeload/"):
		s.serveCodeload(c)
	default:
		c.notFound()
	}
}

func (s *Server) serveAPI(c *call) {
	if c.auth.kind == authInvalid {
		s.writeRateHeaders(c, false)
		c.errorf(http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !s.writeRateHeaders(c, true) {
		c.writeJSON(http.StatusForbidden, obj{
			"message":           c.rateLimitMessage(),
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
		})
		return
	}
	rt, params := s.match(c.r.Method, strings.TrimPrefix(c.r.URL.EscapedPath(), apiPrefix))
	if rt == nil {
		c.notFound()
		return
	}
	c.params, c.doc = params, rt.doc
	switch rt.auth {
	case needJWT:
		if c.auth.kind != authJWT {
			c.errorf(http.StatusUnauthorized, "A JSON web token could not be decoded")
			return
		}
	case needToken:
		switch c.auth.kind {
		case authToken:
		case authJWT:
			c.errorf(http.StatusForbidden, "Resource not accessible by integration")
			return
		default:
			c.errorf(http.StatusUnauthorized, "Requires authentication")
			return
		}
	}
	if _, ok := params["repo"]; ok && rt.auth == needToken {
		repo, ok := s.repoForCall(c)
		if !ok {
			c.notFound()
			return
		}
		c.repo = repo
	}
	rt.handle(c)
}

// recordingWriter remembers the status a handler wrote.
type recordingWriter struct {
	http.ResponseWriter
	status int
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	if err != nil {
		return n, fmt.Errorf("write response: %w", err)
	}
	return n, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
