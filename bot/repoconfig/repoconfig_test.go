package repoconfig_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/bot/ghapp"
	"github.com/distill-bot/distill/bot/githubtest"
	"github.com/distill-bot/distill/bot/repoconfig"
)

// org starts a fake GitHub with the organisation acme: its .github
// repository (with the given default, if any) and the repositories given
// (name → .github/distill.yml content, "" for none).
func org(t *testing.T, orgDefault string, repos map[string]string, extra ...githubtest.Repo) (*githubtest.Server, *repoconfig.Loader) {
	t.Helper()
	srv := githubtest.New(t)
	files := map[string]string{"README.md": "acme\n"}
	if orgDefault != "" {
		files[repoconfig.Path] = orgDefault
	}
	srv.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: ".github", Files: files})
	for name, cfg := range repos {
		files := map[string]string{"README.md": name + "\n"}
		if cfg != "" {
			files[repoconfig.Path] = cfg
		}
		srv.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: name, Files: files})
	}
	for _, r := range extra {
		srv.AddRepo(r)
	}
	inst := srv.AddInstallation(githubtest.Installation{Account: "acme"})
	app, err := ghapp.New(ghapp.Config{AppID: srv.AppID(), PrivateKey: srv.PrivateKeyPEM(), BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &repoconfig.Loader{Client: app.Installation(inst)}
}

func boolp(b bool) *bool { return &b }

func TestLoad(t *testing.T) {
	t.Parallel()
	const orgDefault = "mode: pr\nfail_on: error\ncommands:\n  permission: admin\nrules:\n  disable: [RunsAsRoot]\n"
	tests := []struct {
		name      string
		orgConfig string
		repos     map[string]string
		extra     []githubtest.Repo
		repo      string
		want      *config.Config
		files     []string
	}{
		{
			name: "no file anywhere: defaults", repos: map[string]string{"shop": ""}, repo: "shop",
			want: &config.Config{}, files: nil,
		},
		{
			name: "organisation default", orgConfig: orgDefault, repos: map[string]string{"shop": ""}, repo: "shop",
			want:  &config.Config{Mode: "pr", FailOn: "error", Commands: config.Commands{Permission: "admin"}, Rules: config.Rules{Disable: []string{"RunsAsRoot"}}},
			files: []string{"acme/.github:.github/distill.yml"},
		},
		{
			name: "a repository file replaces the default", orgConfig: orgDefault, repos: map[string]string{"shop": "mode: review\n"}, repo: "shop",
			want:  &config.Config{Mode: "review"},
			files: []string{"acme/shop:.github/distill.yml"},
		},
		{
			name: "_extends: .github merges shallowly", orgConfig: orgDefault,
			repos: map[string]string{"shop": "_extends: .github\nmode: review\ncommands:\n  enabled: false\n"}, repo: "shop",
			// commands is replaced as a whole: the default's permission
			// does not survive next to the repository's enabled.
			want:  &config.Config{Mode: "review", FailOn: "error", Commands: config.Commands{Enabled: boolp(false)}, Rules: config.Rules{Disable: []string{"RunsAsRoot"}}},
			files: []string{"acme/shop:.github/distill.yml", "acme/.github:.github/distill.yml"},
		},
		{
			name:  "_extends: another repository of the owner",
			repos: map[string]string{"shop": "_extends: platform\nfail_on: warning\n", "platform": "mode: pr\nfail_on: error\n"}, repo: "shop",
			want:  &config.Config{Mode: "pr", FailOn: "warning"},
			files: []string{"acme/shop:.github/distill.yml", "acme/platform:.github/distill.yml"},
		},
		{
			name:  "_extends: owner/repo:path",
			repos: map[string]string{"shop": "_extends: acme/configs:distill/go.yml\n"}, repo: "shop",
			extra: []githubtest.Repo{{Owner: "acme", Name: "configs", Files: map[string]string{"distill/go.yml": "images:\n  debian: 12\n"}}},
			want:  &config.Config{Images: config.Images{Debian: 12}},
			files: []string{"acme/shop:.github/distill.yml", "acme/configs:distill/go.yml"},
		},
		{
			name:  "a chain of _extends",
			repos: map[string]string{"shop": "_extends: a\nmode: off\n", "a": "_extends: b\nfail_on: info\n", "b": "drafts: true\n"}, repo: "shop",
			want:  &config.Config{Mode: "off", FailOn: "info", Drafts: boolp(true)},
			files: []string{"acme/shop:.github/distill.yml", "acme/a:.github/distill.yml", "acme/b:.github/distill.yml"},
		},
		{
			name: "the .github repository itself", orgConfig: orgDefault, repo: ".github",
			want:  &config.Config{Mode: "pr", FailOn: "error", Commands: config.Commands{Permission: "admin"}, Rules: config.Rules{Disable: []string{"RunsAsRoot"}}},
			files: []string{"acme/.github:.github/distill.yml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, l := org(t, tt.orgConfig, tt.repos, tt.extra...)
			got, src, err := l.Load(t.Context(), "acme", tt.repo, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.files, src.Files); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		orgConfig string
		repos     map[string]string
		repo      string
		// want is the ParseError's text.
		want string
	}{
		{
			name: "unknown key with line and column", repos: map[string]string{"shop": "mode: pr\nmdoe: review\n"}, repo: "shop",
			want: "acme/shop:.github/distill.yml:2:1: ",
		},
		{
			name: "wrong type", repos: map[string]string{"shop": "paths:\n  include: docker/*.df\n"}, repo: "shop",
			want: "acme/shop:.github/distill.yml:2:",
		},
		{
			name: "invalid value", repos: map[string]string{"shop": "commands:\n  permission: owner\n"}, repo: "shop",
			want: `acme/shop:.github/distill.yml:2:15: commands.permission "owner" is not one of admin, maintain, write, triage`,
		},
		{
			name: "broken YAML", repos: map[string]string{"shop": "mode: [pr\n"}, repo: "shop",
			want: "acme/shop:.github/distill.yml:",
		},
		{
			name: "broken organisation default, named as such", orgConfig: "fail_on: sometimes\n", repos: map[string]string{"shop": ""}, repo: "shop",
			want: `acme/.github:.github/distill.yml:1:10: fail_on "sometimes" is not one of error, warning, info, none`,
		},
		{
			name: "_extends loop", repos: map[string]string{"shop": "_extends: a\n", "a": "_extends: shop\n"}, repo: "shop",
			want: "acme/a:.github/distill.yml: _extends loops back to acme/shop:.github/distill.yml",
		},
		{
			name: "_extends to itself", repos: map[string]string{"shop": "_extends: shop\n"}, repo: "shop",
			want: "acme/shop:.github/distill.yml: _extends loops back to acme/shop:.github/distill.yml",
		},
		{
			name: "missing _extends target", repos: map[string]string{"shop": "_extends: nowhere\n"}, repo: "shop",
			want: "acme/shop:.github/distill.yml: _extends: acme/nowhere:.github/distill.yml does not exist",
		},
		{
			name: "_extends to a repository the installation cannot see", repos: map[string]string{"shop": "_extends: other/configs\n"}, repo: "shop",
			want: "acme/shop:.github/distill.yml: _extends: other/configs:.github/distill.yml does not exist",
		},
		{
			name: "malformed _extends", repos: map[string]string{"shop": "_extends: a/b/c\n"}, repo: "shop",
			want: `acme/shop:.github/distill.yml: _extends "a/b/c": want repo, owner/repo or repo:path/file.yml`,
		},
		{
			name: "_extends path leaving the repository", repos: map[string]string{"shop": "_extends: a:../x.yml\n"}, repo: "shop",
			want: `acme/shop:.github/distill.yml: _extends "a:../x.yml"`,
		},
		{
			name:  "too long a chain",
			repos: map[string]string{"shop": "_extends: a1\n", "a1": "_extends: a2\n", "a2": "_extends: a3\n", "a3": "_extends: a4\n", "a4": "_extends: a5\n", "a5": "_extends: a6\n", "a6": ""},
			repo:  "shop",
			want:  "_extends chain is longer than 5 files",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, l := org(t, tt.orgConfig, tt.repos)
			_, _, err := l.Load(t.Context(), "acme", tt.repo, "")
			var pe *repoconfig.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want a ParseError", err, err)
			}
			if !strings.Contains(pe.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", pe.Error(), tt.want)
			}
		})
	}
}

// The configuration is read at the ref asked for (the review reads the
// base branch, never the pull request's own change to it).
func TestLoadAtRef(t *testing.T) {
	t.Parallel()
	srv, l := org(t, "", map[string]string{"shop": "mode: review\n"})
	srv.Commit("acme", "shop", "feature", map[string]string{repoconfig.Path: "mode: off\n"}, "turn it off")
	for ref, want := range map[string]string{"": "review", "main": "review", "feature": "off"} {
		got, _, err := l.Load(t.Context(), "acme", "shop", ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.Mode != want {
			t.Errorf("mode at %q = %q, want %q", ref, got.Mode, want)
		}
	}
}

// An organisation .github repository the installation cannot read (403)
// means no default, not a failure; a server error is a LoadError to retry.
func TestLoadForbiddenAndFailing(t *testing.T) {
	t.Parallel()
	srv, l := org(t, "mode: pr\n", map[string]string{"shop": ""})
	srv.Inject(githubtest.Fault{Path: "/repos/acme/.github/contents/**", Status: http.StatusForbidden,
		Body: []byte(`{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest","status":"403"}`)})
	got, src, err := l.Load(t.Context(), "acme", "shop", "")
	if err != nil || got.Mode != "" || len(src.Files) != 0 {
		t.Errorf("with a forbidden .github repository: %+v, %+v, %v; want defaults", got, src, err)
	}

	srv.Inject(githubtest.ServerError("/repos/acme/shop/contents/**", http.StatusBadGateway))
	_, _, err = l.Load(t.Context(), "acme", "shop", "")
	var le *repoconfig.LoadError
	var pe *repoconfig.ParseError
	if !errors.As(err, &le) || errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want a LoadError", err, err)
	}
	if !strings.Contains(le.Error(), "fetching acme/shop:.github/distill.yml") {
		t.Errorf("LoadError %q", le.Error())
	}
	// A rate limit on the default is a LoadError too (to snooze), never
	// "no default".
	srv.Inject(githubtest.PrimaryRateLimit("/repos/acme/.github/contents/**", srv.Now().Add(60_000_000_000)))
	if _, _, err = l.Load(t.Context(), "acme", "shop", ""); !errors.As(err, &le) {
		t.Errorf("rate-limited default: err = %v, want a LoadError", err)
	}
}

// A directory where the file should be, and an oversized file, are parse
// errors (the user must fix them), not load errors.
func TestLoadOddFiles(t *testing.T) {
	t.Parallel()
	srv, l := org(t, "", map[string]string{"shop": ""})
	srv.Commit("acme", "shop", "main", map[string]string{repoconfig.Path + "/x": "y\n"}, "a directory")
	_, _, err := l.Load(t.Context(), "acme", "shop", "")
	var pe *repoconfig.ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "is a directory, not a file") {
		t.Errorf("directory: %v", err)
	}
	srv.AddRepo(githubtest.Repo{Owner: "acme", Name: "big", Files: map[string]string{repoconfig.Path: "# " + strings.Repeat("x", int(config.MaxSize)) + "\n"}})
	_, _, err = l.Load(t.Context(), "acme", "big", "")
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "the limit is") {
		t.Errorf("oversized: %v", err)
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	parent := &config.Config{Extends: "x", Mode: "pr", FailOn: "error", Targets: map[string]string{"a": "b"}, Images: config.Images{Debian: 12, PinDigest: true}}
	child := &config.Config{Extends: "y", FailOn: "warning", Images: config.Images{Nonroot: boolp(false)}}
	got := repoconfig.Merge(parent, child)
	want := &config.Config{Mode: "pr", FailOn: "warning", Targets: map[string]string{"a": "b"}, Images: config.Images{Nonroot: boolp(false)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	if parent.FailOn != "error" {
		t.Error("Merge changed its input")
	}
}
