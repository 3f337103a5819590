package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// githubStub plays GitHub's part of the manifest flow: the "new App" page
// that receives the form and redirects back with a code, and the REST
// endpoint POST /api/v3/app-manifests/{code}/conversions (GHES layout).
type githubStub struct {
	*httptest.Server
	t *testing.T

	mu          sync.Mutex
	posted      map[string]any // the manifest as GitHub received it
	postedPath  string
	state       string
	codes       map[string]bool
	conversions int
	key         string
}

func newGitHubStub(t *testing.T) *githubStub {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := &githubStub{t: t, codes: map[string]bool{}, key: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))}
	mux := http.NewServeMux()
	newApp := func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		dec := json.NewDecoder(strings.NewReader(r.PostForm.Get("manifest")))
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			http.Error(w, "manifest is not JSON: "+err.Error(), http.StatusUnprocessableEntity)
			return
		}
		redirect, _ := m["redirect_url"].(string)
		ru, err := url.Parse(redirect)
		if err != nil || ru.Host == "" {
			http.Error(w, "no redirect_url", http.StatusUnprocessableEntity)
			return
		}
		code := fmt.Sprintf("code-%d", time.Now().UnixNano())
		s.mu.Lock()
		s.posted, s.postedPath, s.state = m, r.URL.Path, r.URL.Query().Get("state")
		s.codes[code] = true
		s.mu.Unlock()
		q := ru.Query()
		q.Set("code", code)
		if st := r.URL.Query().Get("state"); st != "" {
			q.Set("state", st)
		}
		ru.RawQuery = q.Encode()
		// GitHub shows the App and the user clicks "Create"; then it
		// redirects the browser to redirect_url.
		http.Redirect(w, r, ru.String(), http.StatusFound)
	}
	mux.HandleFunc("POST /settings/apps/new", newApp)
	mux.HandleFunc("POST /organizations/{org}/settings/apps/new", newApp)
	mux.HandleFunc("POST /api/v3/app-manifests/{code}/conversions", func(w http.ResponseWriter, r *http.Request) {
		code := r.PathValue("code")
		s.mu.Lock()
		ok := s.codes[code]
		delete(s.codes, code) // one use
		s.conversions++
		name, _ := s.posted["name"].(string)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest","status":"404"}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{
			"id": 1424242, "slug": name, "node_id": "A_kwDOAnJbzM4AFbLy", "name": name,
			"owner":       map[string]any{"login": "octocat", "id": 1, "type": "User"},
			"description": "", "external_url": "https://github.com/distill-bot/distill",
			"html_url":   s.URL + "/apps/" + name,
			"created_at": "2026-06-01T12:00:00Z", "updated_at": "2026-06-01T12:00:00Z",
			"permissions": map[string]string{"contents": "write", "metadata": "read"},
			"events":      []string{"pull_request"},
			"client_id":   "Iv23liExampleClient", "client_secret": "0123456789abcdef0123456789abcdef01234567",
			"webhook_secret": "e340154128314309424b7c8e90325147d99fdafa", "pem": s.key,
		})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// syncBuffer is an io.Writer safe to read while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var localPage = regexp.MustCompile(`Open (http://127\.0\.0\.1:\d+)/ in a browser`)

type registerRun struct {
	out, errOut *syncBuffer
	code        chan int
	local       string
}

// startRegister runs `distill register` and waits for its local page.
func startRegister(t *testing.T, args ...string) *registerRun {
	t.Helper()
	r := &registerRun{out: &syncBuffer{}, errOut: &syncBuffer{}, code: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { r.code <- run(ctx, append([]string{"register"}, args...), r.out, r.errOut) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := localPage.FindStringSubmatch(r.out.String()); m != nil {
			r.local = m[1]
			return r
		}
		select {
		case c := <-r.code:
			t.Fatalf("register exited %d before serving: %s%s", c, r.out.String(), r.errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("register printed no local URL: %q", r.out.String())
	return nil
}

func (r *registerRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case c := <-r.code:
		return c
	case <-time.After(20 * time.Second):
		t.Fatalf("register did not finish; stdout %q", r.out.String())
		return -1
	}
}

// form is the manifest form on the local page.
type form struct {
	action, method string
	fields         url.Values
}

// parseForm reads the page like a browser would.
func parseForm(t *testing.T, page io.Reader) form {
	t.Helper()
	doc, err := html.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	var f form
	var walk func(n *html.Node, inForm bool)
	walk = func(n *html.Node, inForm bool) {
		attr := func(k string) string {
			for _, a := range n.Attr {
				if a.Key == k {
					return a.Val
				}
			}
			return ""
		}
		if n.Type == html.ElementNode && n.Data == "form" {
			if f.fields != nil {
				t.Fatal("the page has more than one form")
			}
			f.action, f.method, f.fields = attr("action"), strings.ToUpper(attr("method")), url.Values{}
			inForm = true
		}
		if inForm && n.Type == html.ElementNode && n.Data == "input" && attr("name") != "" {
			f.fields.Add(attr("name"), attr("value"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inForm)
		}
	}
	walk(doc, false)
	if f.fields == nil {
		t.Fatal("the page has no form")
	}
	return f
}

// browse follows the flow as a browser: load the local page, submit its
// form to "GitHub", follow GitHub's redirect back to the local callback.
func browse(t *testing.T, local string) (*http.Response, string, form) {
	t.Helper()
	resp, err := http.Get(local + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %s", resp.Status)
	}
	f := parseForm(t, resp.Body)
	if f.method != http.MethodPost {
		t.Fatalf("form method %q, want POST", f.method)
	}
	final, err := http.PostForm(f.action, f.fields)
	if err != nil {
		t.Fatal(err)
	}
	defer final.Body.Close()
	body, _ := io.ReadAll(final.Body)
	return final, string(body), f
}

func TestRegisterEndToEnd(t *testing.T) {
	gh := newGitHubStub(t)
	out := filepath.Join(t.TempDir(), "creds")
	r := startRegister(t, "--webhook-url", "https://distill.example.com/webhook", "--name", "distill-acme",
		"--out", out, "--github-url", gh.URL, "--api-url", gh.URL+"/api/v3/", "--timeout", "30s")

	// A callback that was not started from this page is refused and
	// exchanges nothing.
	resp, err := http.Get(r.local + "/callback?code=stolen&state=forged")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback with a wrong state = %s, want 400", resp.Status)
	}

	final, body, f := browse(t, r.local)
	if final.StatusCode != http.StatusOK || !strings.Contains(body, "GitHub App created") {
		t.Fatalf("callback page %s: %s", final.Status, body)
	}
	if !strings.Contains(body, gh.URL+"/apps/distill-acme/installations/new") {
		t.Errorf("callback page has no install link: %s", body)
	}
	if strings.Contains(body, "BEGIN RSA PRIVATE KEY") || strings.Contains(body, "e340154128314309") {
		t.Error("the browser page shows a secret")
	}
	if code := r.wait(t); code != 0 {
		t.Fatalf("register exited %d: %s %s", code, r.out.String(), r.errOut.String())
	}

	// What GitHub received.
	action, err := url.Parse(f.action)
	if err != nil {
		t.Fatal(err)
	}
	gh.mu.Lock()
	posted, path, state, conversions := gh.posted, gh.postedPath, gh.state, gh.conversions
	gh.mu.Unlock()
	if path != "/settings/apps/new" {
		t.Errorf("form posted to %s, want /settings/apps/new", path)
	}
	if len(state) < 32 || action.Query().Get("state") != state {
		t.Errorf("state %q: want a random value of at least 128 bits in the form's action", state)
	}
	if conversions != 1 {
		t.Errorf("conversions = %d, want exactly 1 (the forged callback must not reach GitHub)", conversions)
	}
	want := map[string]any{
		"name":            "distill-acme",
		"url":             "https://github.com/distill-bot/distill",
		"hook_attributes": map[string]any{"url": "https://distill.example.com/webhook", "active": true},
		"redirect_url":    r.local + "/callback",
		"public":          false,
		"default_permissions": map[string]any{
			"contents": "write", "pull_requests": "write", "checks": "write", "issues": "write", "metadata": "read",
		},
		"default_events": []any{"pull_request", "issue_comment", "issues", "check_run", "check_suite", "push"},
	}
	for k, v := range want {
		got, _ := json.Marshal(posted[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Errorf("manifest %s = %s, want %s", k, got, exp)
		}
	}
	for k := range posted {
		switch k {
		case "name", "url", "description", "hook_attributes", "redirect_url", "public", "default_permissions", "default_events":
		default:
			t.Errorf("manifest carries unexpected key %q", k)
		}
	}

	// What register saved.
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("%s mode %v, want 0700", out, st.Mode().Perm())
	}
	wantFiles := map[string]string{
		"app-id":          "1424242\n",
		"private-key.pem": gh.key,
		"webhook-secret":  "e340154128314309424b7c8e90325147d99fdafa\n",
		"client-id":       "Iv23liExampleClient\n",
		"client-secret":   "0123456789abcdef0123456789abcdef01234567\n",
	}
	for name, content := range wantFiles {
		p := filepath.Join(out, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Error(err)
			continue
		}
		if string(b) != content {
			t.Errorf("%s = %q, want %q", name, b, content)
		}
		st, _ := os.Stat(p)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, st.Mode().Perm())
		}
	}
	if blk, _ := pem.Decode([]byte(wantFiles["private-key.pem"])); blk == nil {
		t.Error("the saved key is not PEM")
	}
	stdout := r.out.String()
	for _, s := range []string{
		gh.URL + "/apps/distill-acme/installations/new",
		"DISTILL_APP_ID=1424242",
		"DISTILL_PRIVATE_KEY_FILE=" + filepath.Join(out, "private-key.pem"),
		"DISTILL_WEBHOOK_SECRET_FILE=" + filepath.Join(out, "webhook-secret"),
		"DISTILL_GITHUB_URL=" + gh.URL + "/api/v3/",
		"distill serve",
	} {
		if !strings.Contains(stdout, s) {
			t.Errorf("next steps lack %q:\n%s", s, stdout)
		}
	}
	if strings.Contains(stdout, "e340154128314309") || strings.Contains(stdout, "PRIVATE KEY-----") {
		t.Error("stdout shows a secret")
	}

	// Running again into the same directory refuses before contacting GitHub.
	var o2, e2 bytes.Buffer
	code := run(context.Background(), []string{"register", "--webhook-url", "https://distill.example.com/webhook", "--out", out,
		"--github-url", gh.URL, "--api-url", gh.URL + "/api/v3/"}, &o2, &e2)
	if code != exitUsage || !strings.Contains(e2.String(), "never overwrites") {
		t.Errorf("second run exit %d, stderr %q; want 2 and a refusal", code, e2.String())
	}
	if b, _ := os.ReadFile(filepath.Join(out, "app-id")); string(b) != "1424242\n" {
		t.Errorf("app-id changed to %q", b)
	}
}

func TestRegisterOrganization(t *testing.T) {
	gh := newGitHubStub(t)
	out := filepath.Join(t.TempDir(), "creds")
	r := startRegister(t, "--webhook-url", "https://distill.example.com/webhook", "--org", "acme",
		"--out", out, "--github-url", gh.URL, "--api-url", gh.URL+"/api/v3/", "--timeout", "30s")
	final, body, _ := browse(t, r.local)
	if final.StatusCode != http.StatusOK {
		t.Fatalf("callback %s: %s", final.Status, body)
	}
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, r.errOut.String())
	}
	gh.mu.Lock()
	defer gh.mu.Unlock()
	if gh.postedPath != "/organizations/acme/settings/apps/new" {
		t.Errorf("form posted to %s", gh.postedPath)
	}
}

func TestRegisterExpiredCode(t *testing.T) {
	gh := newGitHubStub(t)
	out := filepath.Join(t.TempDir(), "creds")
	r := startRegister(t, "--webhook-url", "https://distill.example.com/webhook",
		"--out", out, "--github-url", gh.URL, "--api-url", gh.URL+"/api/v3/", "--timeout", "30s")
	resp, err := http.Get(r.local + "/")
	if err != nil {
		t.Fatal(err)
	}
	f := parseForm(t, resp.Body)
	resp.Body.Close()
	state, _ := url.Parse(f.action)
	// The right state but a code GitHub does not know (expired or used).
	cb, err := http.Get(r.local + "/callback?code=expired&state=" + state.Query().Get("state"))
	if err != nil {
		t.Fatal(err)
	}
	cb.Body.Close()
	if cb.StatusCode != http.StatusBadGateway {
		t.Errorf("callback = %s, want 502", cb.Status)
	}
	if code := r.wait(t); code == 0 || !strings.Contains(r.errOut.String(), "404") {
		t.Errorf("exit %d, stderr %q; want a failure naming GitHub's 404", code, r.errOut.String())
	}
	if _, err := os.Stat(filepath.Join(out, "app-id")); err == nil {
		t.Error("credentials written after a failed exchange")
	}
}

func TestRegisterRefusals(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "private-key.pem"), []byte("old"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no webhook url", []string{"--out", t.TempDir()}, "--webhook-url is required"},
		{"existing key", []string{"--webhook-url", "https://x.example/webhook", "--out", dir}, "never overwrites"},
		{"public listen", []string{"--webhook-url", "https://x.example/webhook", "--out", t.TempDir(), "--listen", "0.0.0.0:0"}, "loopback"},
		{"api as web url", []string{"--webhook-url", "https://x.example/webhook", "--out", t.TempDir(), "--github-url", "https://api.github.com"}, "is an API URL"},
		{"bad manifest", []string{"--webhook-url", "https://x.example/webhook", "--out", t.TempDir(), "--manifest", writeTemp(t, "permissions:\n  issues: write\nurl: https://x\n")}, "field permissions not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			code := run(context.Background(), append([]string{"register"}, tc.args...), &o, &e)
			if code != exitUsage || !strings.Contains(e.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, e.String(), tc.want)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "private-key.pem")); string(b) != "old" {
		t.Error("existing key overwritten")
	}
}

func writeTemp(t *testing.T, content string) string {
	p := filepath.Join(t.TempDir(), "manifest.yml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRegisterDefaultURLs(t *testing.T) {
	for _, tc := range []struct{ web, org, wantNew, wantAPI, wantServe string }{
		{"https://github.com", "", "https://github.com/settings/apps/new", "https://api.github.com/", ""},
		{"https://github.com/", "acme", "https://github.com/organizations/acme/settings/apps/new", "https://api.github.com/", ""},
		{"https://ghe.example.com", "", "https://ghe.example.com/settings/apps/new", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/"},
	} {
		o := registerOptions{githubURL: tc.web, org: tc.org}
		u, err := o.newAppURL()
		if err != nil || u.String() != tc.wantNew {
			t.Errorf("%s/%s: new-App URL %v, %v; want %s", tc.web, tc.org, u, err, tc.wantNew)
		}
		c, err := o.apiClient()
		if err != nil || c.BaseURL.String() != tc.wantAPI {
			t.Errorf("%s: API %v, %v; want %s", tc.web, c.BaseURL, err, tc.wantAPI)
		}
		if got := o.apiURLForServe(); got != tc.wantServe {
			t.Errorf("%s: DISTILL_GITHUB_URL %q, want %q", tc.web, got, tc.wantServe)
		}
	}
}
