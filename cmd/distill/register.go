package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/deploy"
)

// registerOptions are the flags of `distill register`.
type registerOptions struct {
	webhookURL string
	out        string
	org        string
	githubURL  string
	apiURL     string
	name       string
	homepage   string
	manifest   string
	listen     string
	public     bool
	timeout    time.Duration
}

// Files `distill register` writes into --out, all with mode 0600.
const (
	regAppID         = "app-id"
	regPrivateKey    = "private-key.pem"
	regWebhookSecret = "webhook-secret"
	regClientID      = "client-id"
	regClientSecret  = "client-secret"
)

var registerFiles = []string{regAppID, regPrivateKey, regWebhookSecret, regClientID, regClientSecret}

// addRegister adds `distill register`, which creates the GitHub App from
// deploy/app-manifest.yml with GitHub's manifest flow.
func addRegister(root *cobra.Command) {
	o := registerOptions{}
	cmd := &cobra.Command{
		Use:   "register --webhook-url URL [--org ORG] [--out DIR]",
		Short: "Create distill's GitHub App from its manifest and save the credentials",
		Long: `register runs GitHub's App manifest flow from this machine:

  1. it serves a page on 127.0.0.1 whose form posts distill's App manifest
     (deploy/app-manifest.yml, with your webhook URL) to GitHub;
  2. you open the page, review the App on GitHub and create it;
  3. GitHub sends your browser back to the local page with a one-hour code,
     which register exchanges for the App's ID, private key, webhook secret
     and OAuth client credentials;
  4. the credentials are written to --out with mode 0600, and the next steps
     (install the App, start distill serve) are printed.

Existing files in --out are never overwritten. Use --org to create the App in
an organization, and --github-url https://HOST for GitHub Enterprise Server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRegister(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.webhookURL, "webhook-url", "", "public URL of distill serve's webhook endpoint, e.g. https://distill.example.com/webhook (required)")
	f.StringVar(&o.out, "out", "distill-app", "directory for the credentials (created with mode 0700; existing files are never overwritten)")
	f.StringVar(&o.org, "org", "", "create the App in this organization instead of your personal account")
	f.StringVar(&o.githubURL, "github-url", "https://github.com", "GitHub web URL; https://HOST for GitHub Enterprise Server")
	f.StringVar(&o.apiURL, "api-url", "", "REST API base URL (default https://api.github.com/, or https://HOST/api/v3/ for GitHub Enterprise Server)")
	f.StringVar(&o.name, "name", "", "App name (default from the manifest: distill); names are unique across GitHub")
	f.StringVar(&o.homepage, "url", "", "App homepage URL (default from the manifest)")
	f.StringVar(&o.manifest, "manifest", "", "manifest YAML to use instead of the built-in deploy/app-manifest.yml")
	f.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback address of the local page (port 0 picks a free port)")
	f.BoolVar(&o.public, "public", false, "let any account install the App (default: only the owner)")
	f.DurationVar(&o.timeout, "timeout", time.Hour, "give up after this long (GitHub's code is valid for one hour)")
	root.AddCommand(cmd)
}

// registration is the outcome of the callback.
type registration struct {
	app *github.AppConfig
	err error
}

func runRegister(ctx context.Context, o registerOptions, stdout io.Writer) error {
	m, err := o.loadManifest()
	if err != nil {
		return usageErrorf("%w", err)
	}
	newURL, err := o.newAppURL()
	if err != nil {
		return usageErrorf("%w", err)
	}
	api, err := o.apiClient()
	if err != nil {
		return usageErrorf("%w", err)
	}
	if err := checkOutDir(o.out); err != nil {
		return usageErrorf("%w", err)
	}
	host, _, err := net.SplitHostPort(o.listen)
	if err != nil {
		return usageErrorf("--listen %q: %w", o.listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usageErrorf("--listen %q: the local page hands over the App's credentials, so it listens on a loopback address only (127.0.0.1)", o.listen)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.listen, err)
	}
	defer ln.Close()
	local := "http://" + ln.Addr().String()
	m.RedirectURL = local + "/callback"
	if err := m.Validate(); err != nil {
		return usageErrorf("%w", err)
	}
	manifestJSON, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding the manifest: %w", err)
	}
	state, err := randomState()
	if err != nil {
		return err
	}
	q := newURL.Query()
	q.Set("state", state)
	newURL.RawQuery = q.Encode()

	done := make(chan registration, 1)
	flow := &manifestFlow{
		action:   newURL.String(),
		manifest: string(manifestJSON),
		state:    state,
		api:      api,
		out:      o.out,
		done:     done,
	}
	srv := &http.Server{Handler: flow, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)}
	go srv.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()

	where := "your personal account"
	if o.org != "" {
		where = "the organization " + o.org
	}
	fmt.Fprintf(stdout, "Open %s/ in a browser on this machine to create the GitHub App %q in %s.\n", local, m.Name, where)
	fmt.Fprintf(stdout, "Webhooks will go to %s. Waiting for GitHub (Ctrl-C to stop)…\n", m.HookAttributes.URL)

	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	var res registration
	select {
	case res = <-done:
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("no answer from GitHub within %s; run distill register again", o.timeout)
		}
		return fmt.Errorf("stopped before the App was created: %w", ctx.Err())
	}
	if res.err != nil {
		return res.err
	}
	printNextSteps(stdout, o, res.app)
	return nil
}

func (o registerOptions) loadManifest() (*deploy.Manifest, error) {
	raw, source := deploy.AppManifest, "the built-in manifest"
	if o.manifest != "" {
		b, err := os.ReadFile(o.manifest)
		if err != nil {
			return nil, fmt.Errorf("--manifest: %w", err)
		}
		raw, source = b, o.manifest
	}
	m, err := deploy.ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if o.webhookURL == "" {
		return nil, errors.New("--webhook-url is required: the public URL where GitHub reaches distill serve, e.g. https://distill.example.com/webhook")
	}
	u, err := url.Parse(o.webhookURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("--webhook-url %q is not an http(s) URL", o.webhookURL)
	}
	m.HookAttributes.URL = o.webhookURL
	m.HookAttributes.Active = true
	if o.name != "" {
		m.Name = o.name
	}
	if o.homepage != "" {
		m.URL = o.homepage
	}
	if o.public {
		m.Public = true
	}
	return m, nil
}

// newAppURL is GitHub's "new App from a manifest" page.
func (o registerOptions) newAppURL() (*url.URL, error) {
	base, err := url.Parse(strings.TrimRight(o.githubURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("--github-url %q is not an http(s) URL such as https://github.com or https://github.example.com", o.githubURL)
	}
	if strings.HasSuffix(base.Path, "/api/v3") || strings.HasPrefix(base.Host, "api.") {
		return nil, fmt.Errorf("--github-url %q is an API URL; give the web address (https://github.com or https://HOST) and, if needed, --api-url", o.githubURL)
	}
	p := "/settings/apps/new"
	if o.org != "" {
		if strings.ContainsAny(o.org, "/?#% ") {
			return nil, fmt.Errorf("--org %q is not an organization name", o.org)
		}
		p = "/organizations/" + o.org + "/settings/apps/new"
	}
	return base.JoinPath(p), nil
}

// apiClient is a go-github client for the conversion call, which needs no
// authentication: the code is the credential.
func (o registerOptions) apiClient() (*github.Client, error) {
	api := o.apiURL
	if api == "" {
		web, err := url.Parse(strings.TrimRight(o.githubURL, "/"))
		if err != nil {
			return nil, fmt.Errorf("--github-url: %w", err)
		}
		if strings.EqualFold(web.Host, "github.com") {
			api = "https://api.github.com/"
		} else {
			api = web.Scheme + "://" + web.Host + "/api/v3/"
		}
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("--api-url %q is not an http(s) URL", api)
	}
	c := github.NewClient(&http.Client{Timeout: 30 * time.Second})
	c.BaseURL = u
	return c, nil
}

// checkOutDir fails when --out already holds any credential file, before
// anything is created on GitHub.
func checkOutDir(dir string) error {
	if dir == "" {
		return errors.New("--out must name a directory")
	}
	for _, name := range registerFiles {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists; distill register never overwrites credentials: choose another --out or move the old files away", p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("checking %s: %w", p, err)
		}
	}
	return nil
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating the state: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// manifestFlow serves the local page and GitHub's redirect back.
type manifestFlow struct {
	action   string // GitHub's new-App URL with ?state=
	manifest string // JSON
	state    string
	api      *github.Client
	out      string
	done     chan<- registration

	mu       sync.Mutex
	finished bool
}

var formPage = template.Must(template.New("form").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Create the distill GitHub App</title>
<meta name="referrer" content="no-referrer"></head>
<body style="font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto">
<h1>Create the distill GitHub App</h1>
<p>This form sends distill's App manifest to GitHub. GitHub shows the App before creating it, then sends
you back here; <code>distill register</code> saves the credentials and prints the next steps.</p>
<form id="manifest-form" action="{{.Action}}" method="post">
<input type="hidden" name="manifest" value="{{.Manifest}}">
<button type="submit">Create the GitHub App on GitHub</button>
</form>
<h2>Manifest</h2>
<pre>{{.Pretty}}</pre>
</body></html>
`))

var resultPage = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title><meta name="referrer" content="no-referrer"></head>
<body style="font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto">
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{if .Link}}<p><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
</body></html>
`))

type pageData struct{ Title, Message, Link string }

func (f *manifestFlow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	switch {
	case r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		var pretty strings.Builder
		var v any
		if err := json.Unmarshal([]byte(f.manifest), &v); err == nil {
			b, _ := json.MarshalIndent(v, "", "  ")
			pretty.Write(b)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		formPage.Execute(w, map[string]string{"Action": f.action, "Manifest": f.manifest, "Pretty": pretty.String()})
	case r.URL.Path == "/callback" && r.Method == http.MethodGet:
		f.callback(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *manifestFlow) result(w http.ResponseWriter, status int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	resultPage.Execute(w, d)
}

func (f *manifestFlow) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, state := q.Get("code"), q.Get("state")
	if subtle.ConstantTimeCompare([]byte(state), []byte(f.state)) != 1 {
		f.result(w, http.StatusBadRequest, pageData{Title: "Wrong state", Message: "The state in this link is not the one distill register sent to GitHub, so the link was not started from this page. Nothing was saved."})
		return
	}
	if code == "" {
		f.result(w, http.StatusBadRequest, pageData{Title: "No code", Message: "GitHub's redirect carries no code. Start again from the distill register page."})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.finished {
		f.result(w, http.StatusGone, pageData{Title: "Already done", Message: "The App was already created from this page; see the terminal for the next steps."})
		return
	}
	app, err := f.exchange(r.Context(), code)
	if err != nil {
		f.finished = true
		f.result(w, http.StatusBadGateway, pageData{Title: "Could not finish", Message: err.Error()})
		f.done <- registration{err: err}
		return
	}
	if err := writeCredentials(f.out, app); err != nil {
		f.finished = true
		f.result(w, http.StatusInternalServerError, pageData{Title: "Could not save the credentials", Message: err.Error()})
		f.done <- registration{err: err}
		return
	}
	f.finished = true
	link := app.GetHTMLURL()
	if link != "" {
		link += "/installations/new"
	}
	f.result(w, http.StatusOK, pageData{Title: "GitHub App created", Message: fmt.Sprintf("%s (ID %d) is registered and its credentials are saved in %s. Install it on your repositories next; the terminal shows how to start distill.", app.GetName(), app.GetID(), f.out), Link: link})
	f.done <- registration{app: app}
}

// exchange trades the code for the App's configuration
// (POST /app-manifests/{code}/conversions).
func (f *manifestFlow) exchange(ctx context.Context, code string) (*github.AppConfig, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	app, _, err := f.api.Apps.CompleteAppManifest(ctx, url.PathEscape(code))
	if err != nil {
		return nil, fmt.Errorf("exchanging GitHub's code for the App credentials: %w (the code is valid for one hour and only once; run distill register again)", err)
	}
	var missing []string
	if app.GetID() == 0 {
		missing = append(missing, "id")
	}
	if app.GetPEM() == "" {
		missing = append(missing, "pem")
	}
	if app.GetWebhookSecret() == "" {
		missing = append(missing, "webhook_secret")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("GitHub's answer lacks %s; the App may exist anyway: check it in your GitHub settings", strings.Join(missing, ", "))
	}
	return app, nil
}

// writeCredentials writes each credential to its own 0600 file, refusing
// to replace an existing one.
func writeCredentials(dir string, app *github.AppConfig) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	files := map[string]string{
		regAppID:         strconv.FormatInt(app.GetID(), 10) + "\n",
		regPrivateKey:    app.GetPEM(),
		regWebhookSecret: app.GetWebhookSecret() + "\n",
		regClientID:      app.GetClientID() + "\n",
		regClientSecret:  app.GetClientSecret() + "\n",
	}
	var written []string
	for _, name := range registerFiles {
		p := filepath.Join(dir, name)
		if err := writeNew(p, files[name]); err != nil {
			return fmt.Errorf("%w (already written: %s; the App %d exists on GitHub, its key can be regenerated in the App settings)", err, strings.Join(written, ", "), app.GetID())
		}
		written = append(written, name)
	}
	return nil
}

func writeNew(path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func printNextSteps(w io.Writer, o registerOptions, app *github.AppConfig) {
	dir, err := filepath.Abs(o.out)
	if err != nil {
		dir = o.out
	}
	fmt.Fprintf(w, "\nCreated the GitHub App %q (ID %d, slug %s).\n", app.GetName(), app.GetID(), app.GetSlug())
	fmt.Fprintf(w, "Credentials saved in %s (mode 0600): %s.\n", dir, strings.Join(registerFiles, ", "))
	fmt.Fprintln(w, "\nNext steps:")
	install := app.GetHTMLURL()
	if install != "" {
		install += "/installations/new"
	} else {
		install = "the App's page on GitHub → Install App"
	}
	fmt.Fprintf(w, "  1. Install the App on the repositories or organization to review:\n       %s\n", install)
	fmt.Fprintln(w, "  2. Start distill with these credentials:")
	fmt.Fprintf(w, "       DISTILL_APP_ID=%d \\\n", app.GetID())
	fmt.Fprintf(w, "       DISTILL_PRIVATE_KEY_FILE=%s \\\n", filepath.Join(dir, regPrivateKey))
	fmt.Fprintf(w, "       DISTILL_WEBHOOK_SECRET_FILE=%s \\\n", filepath.Join(dir, regWebhookSecret))
	if api := o.apiURLForServe(); api != "" {
		fmt.Fprintf(w, "       DISTILL_GITHUB_URL=%s \\\n", api)
	}
	fmt.Fprintln(w, "       distill serve")
	fmt.Fprintln(w, "     With Docker Compose, copy private-key.pem and webhook-secret into deploy/secrets/ (see deploy/compose.yaml);")
	fmt.Fprintf(w, "     with Helm: kubectl create secret generic distill-github --from-file=private-key.pem=%s --from-file=webhook-secret=%s\n",
		filepath.Join(dir, regPrivateKey), filepath.Join(dir, regWebhookSecret))
	fmt.Fprintf(w, "  3. Make sure GitHub reaches %s, then open a pull request that changes a Dockerfile.\n", o.webhookURL)
	fmt.Fprintln(w, "Keep the directory private: the key and secrets let anyone act as the App. client-id and client-secret are not needed by distill serve.")
}

// apiURLForServe is the DISTILL_GITHUB_URL to print, "" for github.com.
func (o registerOptions) apiURLForServe() string {
	if o.apiURL != "" {
		return o.apiURL
	}
	web, err := url.Parse(o.githubURL)
	if err != nil || strings.EqualFold(web.Host, "github.com") {
		return ""
	}
	return web.Scheme + "://" + web.Host + "/api/v3/"
}
