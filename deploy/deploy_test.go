package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/bot"
	"github.com/distill-bot/distill/deploy"
)

// entrypoint is where deploy/Dockerfile installs the binary.
const entrypoint = "/usr/local/bin/distill"

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOwnDockerfileHasNoFindings: we eat our own cooking. `distill check
// deploy/Dockerfile` must report nothing with the default configuration.
func TestOwnDockerfileHasNoFindings(t *testing.T) {
	res, err := analyzer.Check(context.Background(), readFile(t, "Dockerfile"), analyzer.Options{Path: "deploy/Dockerfile"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("deploy/Dockerfile:%d: %s: %s", f.StartLine, f.Rule, f.Message)
	}
	if res.File == nil {
		t.Fatal("deploy/Dockerfile did not parse")
	}
}

func TestDockerfileShape(t *testing.T) {
	res, err := analyzer.Check(context.Background(), readFile(t, "Dockerfile"), analyzer.Options{Path: "deploy/Dockerfile"})
	if err != nil || res.File == nil {
		t.Fatalf("parse: %v", err)
	}
	f := res.File
	if len(f.Stages) < 2 {
		t.Fatalf("%d stages; want a build stage and a runtime stage", len(f.Stages))
	}
	final := f.Stages[len(f.Stages)-1]
	if got := final.Base.Raw; got != "gcr.io/distroless/static-debian13:nonroot" {
		t.Errorf("final image %q, want gcr.io/distroless/static-debian13:nonroot", got)
	}
	find := func(st *dockerfile.Stage, kind dockerfile.Kind) []*dockerfile.Instruction {
		var out []*dockerfile.Instruction
		for _, in := range st.Instructions {
			if in.Kind == kind {
				out = append(out, in)
			}
		}
		return out
	}
	if eps := find(final, dockerfile.KindEntrypoint); len(eps) != 1 || eps[0].Exec.Shell || !slices.Equal(eps[0].Exec.Args, []string{entrypoint}) {
		t.Errorf("ENTRYPOINT must be exec form [%q]", entrypoint)
	}
	if users := find(final, dockerfile.KindUser); len(users) == 0 || !regexp.MustCompile(`^[1-9][0-9]*(:[0-9]+)?$`).MatchString(users[len(users)-1].Value) {
		t.Error("the final stage must end on a numeric non-root USER")
	}
	if hcs := find(final, dockerfile.KindHealthcheck); len(hcs) != 1 || !slices.Equal(hcs[0].Healthcheck.Test, []string{"CMD", entrypoint, "healthcheck"}) {
		t.Errorf("HEALTHCHECK must be exec form CMD [%q, \"healthcheck\"]", entrypoint)
	}
	for _, in := range find(final, dockerfile.KindRun) {
		t.Errorf("%s in the distroless stage", in)
	}

	build := final.DependsOn
	if len(build) != 1 {
		t.Fatalf("the final stage reads from %d stages, want the build stage", len(build))
	}
	var copyMod, copyAll, goBuild, versionArg int
	for _, in := range build[0].Instructions {
		switch {
		case in.Kind == dockerfile.KindCopy && strings.Join(in.Copy.Sources, " ") == "go.mod go.sum":
			copyMod = in.StartLine
		case in.Kind == dockerfile.KindCopy && slices.Equal(in.Copy.Sources, []string{"."}):
			copyAll = in.StartLine
		case in.Kind == dockerfile.KindArg && slices.ContainsFunc(in.Arg.Defs, func(d dockerfile.ArgDef) bool { return d.Name == "VERSION" }):
			versionArg = in.StartLine
		case in.Kind == dockerfile.KindRun && strings.Contains(in.Run.CommandLine(), "go build"):
			goBuild = in.StartLine
			line := in.Run.CommandLine()
			for _, want := range []string{"CGO_ENABLED=0", `-X main.version=${VERSION}`, "./cmd/distill"} {
				if !strings.Contains(line, want) {
					t.Errorf("the go build line lacks %q: %s", want, line)
				}
			}
		}
	}
	switch {
	case copyMod == 0 || copyAll == 0 || goBuild == 0 || versionArg == 0:
		t.Errorf("build stage: COPY go.mod go.sum at %d, COPY . at %d, ARG VERSION at %d, go build at %d; want all", copyMod, copyAll, versionArg, goBuild)
	case !(copyMod < copyAll && copyAll < goBuild && versionArg < goBuild):
		t.Errorf("order: go.mod/go.sum (%d) must be copied before the source (%d), and ARG VERSION (%d) precede go build (%d)", copyMod, copyAll, versionArg, goBuild)
	}
	// The builder's Go is the go.mod's release (1.26 for go 1.26.8).
	mf, err := modfile.Parse("go.mod", readFile(t, "../go.mod"), nil)
	if err != nil {
		t.Fatal(err)
	}
	goVersion := ""
	for _, in := range f.MetaArgs {
		for _, d := range in.Arg.Defs {
			if d.Name == "GO_VERSION" && d.Default != nil {
				goVersion = *d.Default
			}
		}
	}
	if parts := strings.SplitN(mf.Go.Version, ".", 3); len(parts) < 2 || goVersion != parts[0]+"."+parts[1] {
		t.Errorf("ARG GO_VERSION=%q, want the go.mod release %s", goVersion, mf.Go.Version)
	}
	// version.go's variable is what -X sets.
	if !bytes.Contains(readFile(t, "../cmd/distill/version.go"), []byte("var version = ")) {
		t.Error("cmd/distill/version.go no longer declares main.version")
	}
}

// TestStaticBinaryWithVersion checks the Dockerfile's build line: it must
// build cmd/distill with CGO_ENABLED=0 (Go then links internally, without a
// dynamic loader, which distroless/static needs), every package cmd/distill
// imports must build without cgo, and the -ldflags must stamp the version
// that `distill version` prints.
//
// The stamp is checked on a build with the test's own environment, which
// the build cache already holds, rather than a CGO_ENABLED=0 -trimpath
// build: that one would recompile every dependency (minutes of CPU in CI)
// only to re-prove what `go list` shows below.
func TestStaticBinaryWithVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds distill (-short skips it)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	src := string(readFile(t, "Dockerfile"))
	m := regexp.MustCompile(`CGO_ENABLED=0 go build (-trimpath )?-ldflags "([^"]+)" -o \S+ (\./cmd/distill)`).FindStringSubmatch(src)
	if m == nil {
		t.Fatal("no `CGO_ENABLED=0 go build … -ldflags \"…\" -o … ./cmd/distill` line in the Dockerfile")
	}

	// Without cgo, every package must still be complete: a dependency
	// that only builds with cgo shows up here as an error.
	list := exec.Command("go", "list", "-e", "-deps", "-f", "{{if .Error}}{{.ImportPath}}: {{.Error}}{{end}}{{range .DepsErrors}}{{.}}{{end}}", m[3])
	list.Dir = ".."
	list.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := list.CombinedOutput()
	if err != nil {
		t.Fatalf("go list with CGO_ENABLED=0: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("cmd/distill does not build without cgo:\n%s", s)
	}

	const stamp = "v9.8.7-deploytest"
	ldflags := strings.ReplaceAll(m[2], "${VERSION}", stamp)
	bin := filepath.Join(t.TempDir(), "distill")
	build := exec.Command("go", "build", "-ldflags", ldflags, "-o", bin, m[3])
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", ldflags, err, out)
	}
	out, err = exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "distill "+stamp {
		t.Errorf("distill version = %q, want %q", got, "distill "+stamp)
	}
}

// TestDockerignoreKeepsBuildInputs checks that Dockerfile.dockerignore
// leaves every file `go build ./cmd/distill` reads in the context (the
// context is the repository root) and still drops the bulky parts.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	f, err := os.Open("Dockerfile.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-deps", "-json=Dir,Module,GoFiles,EmbedFiles,CgoFiles", "./cmd/distill")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	needed := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			Dir                           string
			Module                        *struct{ Path string }
			GoFiles, EmbedFiles, CgoFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || p.Module.Path != "github.com/distill-bot/distill" {
			continue
		}
		rel, err := filepath.Rel(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, files := range [][]string{p.GoFiles, p.EmbedFiles, p.CgoFiles} {
			for _, name := range files {
				needed = append(needed, filepath.ToSlash(filepath.Join(rel, name)))
			}
		}
	}
	if len(needed) < 50 {
		t.Fatalf("only %d build inputs listed; go list output changed?", len(needed))
	}
	for _, p := range needed {
		excluded, err := pm.MatchesOrParentMatches(p)
		if err != nil {
			t.Fatal(err)
		}
		if excluded {
			t.Errorf("%s is needed by go build ./cmd/distill but Dockerfile.dockerignore excludes it", p)
		}
	}
	for _, p := range []string{".git/config", "docs/operations.md", "bot/server_test.go", "deploy/helm/distill/values.yaml", "deploy/secrets/private-key.pem"} {
		if excluded, _ := pm.MatchesOrParentMatches(p); !excluded {
			t.Errorf("%s should not be sent in the build context", p)
		}
	}
}

// compose is the part of the Compose specification deploy/compose.yaml
// uses. Decoding is strict, so a key outside it (a typo, or a feature added
// without updating this test) fails.
type compose struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Secrets  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Volumes map[string]*struct{} `yaml:"volumes"`
}

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string            `yaml:"context"`
		Dockerfile string            `yaml:"dockerfile"`
		Args       map[string]string `yaml:"args"`
	} `yaml:"build"`
	Command         []string          `yaml:"command"`
	Restart         string            `yaml:"restart"`
	User            string            `yaml:"user"`
	ReadOnly        bool              `yaml:"read_only"`
	Tmpfs           []string          `yaml:"tmpfs"`
	CapDrop         []string          `yaml:"cap_drop"`
	SecurityOpt     []string          `yaml:"security_opt"`
	Environment     map[string]string `yaml:"environment"`
	Secrets         []string          `yaml:"secrets"`
	Ports           []string          `yaml:"ports"`
	Volumes         []string          `yaml:"volumes"`
	Profiles        []string          `yaml:"profiles"`
	StopGracePeriod string            `yaml:"stop_grace_period"`
	DependsOn       map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test        []string `yaml:"test"`
		Interval    string   `yaml:"interval"`
		Timeout     string   `yaml:"timeout"`
		StartPeriod string   `yaml:"start_period"`
		Retries     int      `yaml:"retries"`
	} `yaml:"healthcheck"`
}

func TestCompose(t *testing.T) {
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, "compose.yaml")))
	dec.KnownFields(true)
	var c compose
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"distill", "postgres", "buildkitd"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("service %s missing", name)
		}
	}
	for name, s := range c.Services {
		if s.Image == "" || strings.HasSuffix(s.Image, ":latest") || !strings.Contains(s.Image, ":") {
			t.Errorf("%s: image %q must carry a version tag", name, s.Image)
		}
		if s.Healthcheck == nil {
			t.Errorf("%s: no health check", name)
			continue
		}
		// Exec form ("CMD", argv…): no shell needed in the container.
		if len(s.Healthcheck.Test) < 2 || s.Healthcheck.Test[0] != "CMD" {
			t.Errorf("%s: health check %q is not exec form [\"CMD\", …]", name, s.Healthcheck.Test)
		}
		for _, sec := range s.Secrets {
			def, ok := c.Secrets[sec]
			if !ok {
				t.Errorf("%s: secret %s is not defined", name, sec)
				continue
			}
			if !strings.HasPrefix(def.File, "./secrets/") {
				t.Errorf("secret %s: file %q must be under ./secrets/ (git-ignored)", sec, def.File)
			}
		}
		// Every *_FILE variable points at a secret the service mounts.
		for k, v := range s.Environment {
			if !strings.HasSuffix(k, "_FILE") {
				continue
			}
			sec, ok := strings.CutPrefix(v, "/run/secrets/")
			if !ok || !slices.Contains(s.Secrets, sec) {
				t.Errorf("%s: %s=%s is not a mounted secret", name, k, v)
			}
		}
	}

	d := c.Services["distill"]
	if d.Build == nil || d.Build.Dockerfile != "deploy/Dockerfile" || d.Build.Context != ".." {
		t.Errorf("distill must build deploy/Dockerfile from the repository root: %+v", d.Build)
	}
	if want := []string{"CMD", entrypoint, "healthcheck"}; d.Healthcheck == nil || !slices.Equal(d.Healthcheck.Test, want) {
		t.Errorf("distill health check must be %q", want)
	}
	if !d.ReadOnly || !slices.Equal(d.CapDrop, []string{"ALL"}) || d.User != "65532:65532" || !slices.Contains(d.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("distill must run read-only, as 65532, without capabilities or privilege escalation: %+v", d)
	}
	if d.DependsOn["postgres"].Condition != "service_healthy" {
		t.Error("distill must wait for a healthy postgres")
	}
	for _, k := range []string{"DISTILL_PRIVATE_KEY_FILE", "DISTILL_WEBHOOK_SECRET_FILE", "DISTILL_APP_ID", "DISTILL_DATABASE_URL"} {
		if d.Environment[k] == "" {
			t.Errorf("distill: %s not set", k)
		}
	}
	if v := d.Environment["DISTILL_DATABASE_URL"]; !strings.HasPrefix(v, "postgres://") || strings.Contains(v, ":@") || regexp.MustCompile(`//[^/@]*:[^/@]*@`).MatchString(v) {
		t.Errorf("DISTILL_DATABASE_URL %q: postgres without a password in the URL", v)
	} else if pass, ok := strings.CutPrefix(regexp.MustCompile(`passfile=([^&]+)`).FindString(v), "passfile=/run/secrets/"); !ok || !slices.Contains(d.Secrets, pass) {
		t.Errorf("DISTILL_DATABASE_URL %q must read its password from a mounted secret (passfile=/run/secrets/…)", v)
	}
	for _, k := range []string{"DISTILL_PRIVATE_KEY", "DISTILL_WEBHOOK_SECRET"} {
		if _, ok := d.Environment[k]; ok {
			t.Errorf("distill: %s puts a secret in the environment; use the _FILE variant", k)
		}
	}
	// Only variables serve reads.
	known := map[string]bool{"DATABASE_URL": true}
	for _, e := range bot.Env {
		known[e.Name] = true
	}
	for k := range d.Environment {
		if !known[k] {
			t.Errorf("distill: %s is not a variable distill serve reads (bot.Env)", k)
		}
	}

	pg := c.Services["postgres"]
	if pg.Environment["POSTGRES_PASSWORD_FILE"] == "" || pg.Environment["POSTGRES_PASSWORD"] != "" {
		t.Error("postgres must take its password from a secret file")
	}

	bk := c.Services["buildkitd"]
	if !slices.Equal(bk.Profiles, []string{"verify"}) {
		t.Errorf("buildkitd must be optional (profile verify), has %q", bk.Profiles)
	}
	// The daemon matches the BuildKit client distill is built with.
	mf, err := modfile.Parse("go.mod", readFile(t, "../go.mod"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var bkVersion string
	for _, r := range mf.Require {
		if r.Mod.Path == "github.com/moby/buildkit" {
			bkVersion = r.Mod.Version
		}
	}
	if want := "moby/buildkit:" + bkVersion + "-rootless"; bk.Image != want {
		t.Errorf("buildkitd image %q, want %q (rootless, same version as go.mod)", bk.Image, want)
	}
	if slices.Contains(bk.SecurityOpt, "privileged") {
		t.Error("buildkitd must not be privileged")
	}
}

func TestAppManifest(t *testing.T) {
	m, err := deploy.ParseManifest(deploy.AppManifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Name == "" || m.Public || !m.HookAttributes.Active {
		t.Errorf("name %q public %v active %v; want a name, private, an active hook", m.Name, m.Public, m.HookAttributes.Active)
	}
	wantPerms := map[string]string{"contents": "write", "pull_requests": "write", "checks": "write", "issues": "write", "metadata": "read"}
	if len(m.DefaultPermissions) != len(wantPerms) {
		t.Errorf("permissions %v, want %v", m.DefaultPermissions, wantPerms)
	}
	for k, v := range wantPerms {
		if m.DefaultPermissions[k] != v {
			t.Errorf("permission %s = %q, want %q", k, m.DefaultPermissions[k], v)
		}
	}
	wantEvents := []string{"pull_request", "issue_comment", "issues", "check_run", "check_suite", "push"}
	if !slices.Equal(m.DefaultEvents, wantEvents) {
		t.Errorf("events %q, want %q (installation events are sent without subscribing)", m.DefaultEvents, wantEvents)
	}

	// The strict parser and the validation catch the classic mistakes.
	for _, bad := range []string{
		"url: https://x.example\nhook_attributes: {url: https://x.example/webhook}\npermissions: {issues: write}\n",
		"url: https://x.example\nhook_attributes: {url: https://x.example/webhook}\ndefault_events: [installation]\n",
		"url: https://x.example\nhook_attributes: {url: ''}\n",
		"url: https://x.example\nhook_attributes: {url: https://x.example/webhook}\ndefault_permissions: {issues: rw}\n",
	} {
		m, err := deploy.ParseManifest([]byte(bad))
		if err == nil {
			err = m.Validate()
		}
		if err == nil {
			t.Errorf("accepted a bad manifest:\n%s", bad)
		}
	}
}
