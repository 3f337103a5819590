package githubtest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v62/github"
)

func TestTokenMintingReuseAndExpiry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	if _, _, err := w.gh.Repositories.Get(ctx, "acme", "widgets"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.gh.Repositories.Get(ctx, "acme", "widgets"); err != nil {
		t.Fatal(err)
	}
	mints := w.srv.CountRequests(Match("POST", "/app/installations/*/access_tokens"))
	if mints != 1 {
		t.Fatalf("token requests = %d, want 1 (the expires_at must let ghinstallation reuse the token)", mints)
	}
	mint := w.srv.RequestsTo("POST", "/app/installations/*/access_tokens")[0]
	if mint.Auth != AuthJWT || string(mint.Body) != "null\n" && string(mint.Body) != "null" {
		t.Errorf("mint request auth=%s body=%q", mint.Auth, mint.Body)
	}
	exp, _, err := w.itr.Expiry()
	if err != nil || exp.Sub(w.srv.Now()) < 59*time.Minute || exp.Sub(w.srv.Now()) > time.Hour {
		t.Errorf("expires_at = %v (err %v), want one hour after %v", exp, err, w.srv.Now())
	}

	// An hour later GitHub refuses the token. ghinstallation decides on refresh with the wall clock,
	// which the fake cannot move, so it sends the stale token and gets the 401 real GitHub would give.
	w.srv.Advance(61 * time.Minute)
	_, _, err = w.gh.Repositories.Get(ctx, "acme", "widgets")
	er := errorResponse(t, err, http.StatusUnauthorized)
	if er.Message != "Bad credentials" {
		t.Errorf("message = %q", er.Message)
	}
	last := w.srv.Requests()[len(w.srv.Requests())-1]
	if last.Auth != AuthInvalid || !strings.Contains(last.AuthError, "expired") {
		t.Errorf("recorded auth = %s (%s), want invalid: expired", last.Auth, last.AuthError)
	}

	// A fresh transport (what the bot builds after a 401) mints a new token valid on the fake clock.
	gh2, itr2 := installationClient(t, w.srv, w.inst)
	if _, _, err := gh2.Repositories.Get(ctx, "acme", "widgets"); err != nil {
		t.Fatalf("after refresh: %v", err)
	}
	exp2, _, _ := itr2.Expiry()
	if !exp2.After(exp.Add(60 * time.Minute)) {
		t.Errorf("new token expires %v, want about an hour after the advanced clock (old %v)", exp2, exp)
	}
}

func TestJWTRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	app, _, err := w.app.Apps.Get(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if app.GetID() != w.srv.AppID() || app.GetSlug() != "distill-test" {
		t.Errorf("app = %d %s", app.GetID(), app.GetSlug())
	}
	sign := func(claims jwt.MapClaims) string {
		key, err := jwt.ParseRSAPrivateKeyFromPEM(w.srv.PrivateKeyPEM())
		if err != nil {
			t.Fatal(err)
		}
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now().Unix()
	iss := itoa(w.srv.AppID())
	cases := map[string]string{
		"expired":         sign(jwt.MapClaims{"iat": now - 700, "exp": now - 60, "iss": iss}),
		"too long":        sign(jwt.MapClaims{"iat": now - 30, "exp": now + 3600, "iss": iss}),
		"wrong issuer":    sign(jwt.MapClaims{"iat": now - 30, "exp": now + 60, "iss": "1"}),
		"fractional time": sign(jwt.MapClaims{"iat": float64(now) - 30.5, "exp": now + 60, "iss": iss}),
		"garbage":         "a.b.c",
	}
	for name, tok := range cases {
		req, _ := http.NewRequestWithContext(ctx, "GET", w.srv.APIURL()+"app", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := w.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
		}
	}
	good := sign(jwt.MapClaims{"iat": now - 30, "exp": now + 540, "iss": iss})
	req, _ := http.NewRequestWithContext(ctx, "GET", w.srv.APIURL()+"app", nil)
	req.Header.Set("Authorization", "Bearer "+good)
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("valid JWT: status %d", resp.StatusCode)
	}
	// An installation token is not App authentication.
	_, _, err = w.gh.Apps.Get(ctx, "")
	errorResponse(t, err, http.StatusUnauthorized)
}

func TestInstallationScopeAndLookup(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	w.srv.AddRepo(Repo{Owner: "acme", Name: "secret", Private: true, Files: map[string]string{"a": "b\n"}})
	_, _, err := w.gh.Repositories.Get(ctx, "acme", "secret")
	errorResponse(t, err, http.StatusNotFound) // not in the "selected" installation
	inst, _, err := w.app.Apps.FindRepositoryInstallation(ctx, "acme", "widgets")
	if err != nil || inst.GetID() != w.inst {
		t.Fatalf("FindRepositoryInstallation = %v, %v", inst, err)
	}
	repos, _, err := w.gh.Apps.ListRepos(ctx, nil)
	if err != nil || repos.GetTotalCount() != 1 || repos.Repositories[0].GetFullName() != "acme/widgets" {
		t.Fatalf("ListRepos = %+v, %v", repos, err)
	}
	tok, _, err := w.app.Apps.CreateInstallationToken(ctx, w.inst, &github.InstallationTokenOptions{Repositories: []string{"nope"}})
	if err == nil {
		t.Fatalf("narrowing to an unknown repository minted %v", tok)
	}
	// Suspended installations cannot mint tokens.
	sus := w.srv.AddInstallation(Installation{Account: "bob", AccountType: "User", Suspended: true})
	gh, _ := installationClient(t, w.srv, sus)
	_, _, err = gh.Repositories.Get(ctx, "acme", "widgets")
	var he *ghinstallation.HTTPError
	if !errors.As(err, &he) || he.Response.StatusCode != http.StatusForbidden {
		t.Fatalf("suspended: err = %v", err)
	}
}

func TestUnknownRouteAndMissingPrefix(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.srv.IssueToken(w.inst)
	for _, u := range []string{w.srv.URL + "/repos/acme/widgets", w.srv.APIURL() + "repos/acme/widgets/nope"} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", u, nil)
		req.Header.Set("Authorization", "token "+tok)
		resp, err := w.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != 404 || !strings.Contains(body, `"message":"Not Found"`) || !strings.Contains(body, `"status":"404"`) {
			t.Errorf("%s: %d %s", u, resp.StatusCode, body)
		}
		if resp.Header.Get("X-GitHub-Request-Id") == "" || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("%s: headers %v", u, resp.Header)
		}
	}
}
