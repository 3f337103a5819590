package githubtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
)

// world is the usual test set-up: one organization repository with a Dockerfile, the App installed on
// it, and clients built exactly as distill builds them (ghinstallation + go-github, GHES-style URLs).
type world struct {
	srv    *Server
	inst   int64
	gh     *github.Client // installation client
	app    *github.Client // App (JWT) client
	itr    *ghinstallation.Transport
	owner  string
	repo   string
	baseSH string
}

const dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nCMD [\"/app\"]\n"

func newWorld(t *testing.T, opts ...Option) *world {
	t.Helper()
	srv := New(t, append([]Option{WithLogf(t.Logf)}, opts...)...)
	w := &world{srv: srv, owner: "acme", repo: "widgets"}
	srv.AddRepo(Repo{Owner: "acme", OwnerType: "Organization", Name: "widgets", Files: map[string]string{
		"Dockerfile": dockerfile, "README.md": "# widgets\n", "cmd/app/main.go": "package main\n",
	}})
	w.baseSH = srv.Ref("acme", "widgets", "main")
	w.inst = srv.AddInstallation(Installation{Account: "acme", Repositories: []string{"acme/widgets"}})
	w.gh, w.itr = installationClient(t, srv, w.inst)
	w.app = appClient(t, srv)
	return w
}

func installationClient(t *testing.T, srv *Server, inst int64) (*github.Client, *ghinstallation.Transport) {
	t.Helper()
	itr, err := ghinstallation.New(http.DefaultTransport, srv.AppID(), inst, srv.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	itr.BaseURL = srv.URL + "/api/v3"
	gh, err := github.NewClient(&http.Client{Transport: itr}).WithEnterpriseURLs(srv.URL, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return gh, itr
}

func appClient(t *testing.T, srv *Server) *github.Client {
	t.Helper()
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, srv.AppID(), srv.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	gh, err := github.NewClient(&http.Client{Transport: atr}).WithEnterpriseURLs(srv.URL, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return gh
}

// openDockerfilePR opens a PR that edits the Dockerfile (lines 1 and 5–7 change).
func (w *world) openDockerfilePR(t *testing.T) int {
	t.Helper()
	w.srv.Commit(w.owner, w.repo, "feature", map[string]string{
		"Dockerfile": "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nUSER 65532\nEXPOSE 8080\nCMD [\"/app\"]\n",
	}, "Bump Go")
	return w.srv.OpenPR(PR{Owner: w.owner, Repo: w.repo, Head: "feature", Author: "alice"})
}

func errorResponse(t *testing.T, err error, status int) *github.ErrorResponse {
	t.Helper()
	er, ok := err.(*github.ErrorResponse)
	if !ok {
		t.Fatalf("err = %T %v, want *github.ErrorResponse", err, err)
	}
	if er.Response.StatusCode != status {
		t.Fatalf("status = %d, want %d (%v)", er.Response.StatusCode, status, err)
	}
	return er
}

func testJWT(t *testing.T, srv *Server) string {
	t.Helper()
	key, err := jwt.ParseRSAPrivateKeyFromPEM(srv.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iat": now - 30, "exp": now + 300, "iss": itoa(srv.AppID())}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
