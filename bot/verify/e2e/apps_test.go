package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/localrepo"
	"github.com/distill-bot/distill/bot/verify"
	"github.com/distill-bot/distill/bot/verify/e2e/testenv"
)

// expectation is testdata/apps/<app>/expect.json: how to tell that an
// image of the app works, and how each negative case must fail.
type expectation struct {
	// Stdout, for programs that run to completion: exit 0 and stdout
	// contains this.
	Stdout string `json:"stdout,omitempty"`
	// HTTP, for servers: with PORT set, GET Path answers 200 with a body
	// containing Body.
	HTTP *struct {
		Path string `json:"path"`
		Body string `json:"body"`
	} `json:"http,omitempty"`
	// Negative maps negative/<case>.Dockerfile to how running it must fail.
	Negative map[string]struct {
		RunError string `json:"run_error"`
	} `json:"negative,omitempty"`
}

func appsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "apps")
}

func loadApps(t *testing.T) map[string]expectation {
	t.Helper()
	entries, err := os.ReadDir(appsDir())
	if err != nil {
		t.Fatal(err)
	}
	apps := map[string]expectation{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(appsDir(), e.Name(), "expect.json"))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		var x expectation
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&x); err != nil {
			t.Fatalf("%s/expect.json: %v", e.Name(), err)
		}
		if (x.Stdout == "") == (x.HTTP == nil) {
			t.Fatalf("%s/expect.json: set exactly one of stdout and http", e.Name())
		}
		apps[e.Name()] = x
	}
	if len(apps) < 6 {
		t.Fatalf("found %d apps in %s", len(apps), appsDir())
	}
	return apps
}

// TestAppsTestdata checks the shape of testdata/apps without building
// anything, so it runs in every `go test ./...`.
func TestAppsTestdata(t *testing.T) {
	for app, x := range loadApps(t) {
		for _, f := range []string{"Dockerfile", "Dockerfile.distroless"} {
			if _, err := os.Stat(filepath.Join(appsDir(), app, f)); err != nil {
				t.Errorf("%s: %v", app, err)
			}
		}
		files, _ := filepath.Glob(filepath.Join(appsDir(), app, "negative", "*.Dockerfile"))
		if len(files) != len(x.Negative) {
			t.Errorf("%s: %d negative Dockerfiles, %d in expect.json", app, len(files), len(x.Negative))
		}
		for _, f := range files {
			c := strings.TrimSuffix(filepath.Base(f), ".Dockerfile")
			if _, ok := x.Negative[c]; !ok {
				t.Errorf("%s: negative/%s has no expectation", app, filepath.Base(f))
			}
			b, _ := os.ReadFile(f)
			if !strings.HasPrefix(string(b), "# WRONG: ") {
				t.Errorf("%s: negative/%s must start with a one-line '# WRONG: ' comment", app, filepath.Base(f))
			}
		}
	}
}

// row is one line of the size table.
type row struct {
	app                                string
	orig, conv, prop                   testenv.Size
	origBuild, convBuild, propBuild    time.Duration
	origRun, convRun, propRun, verdict string
}

var table struct {
	sync.Mutex
	rows []row
}

// referenceVar switches on the builds of the hand-written reference
// conversions (Dockerfile.distroless). They proved the environment before
// distill converted anything; distill's own proposal is what the suite
// proves now, so CI leaves them off to stay within its time budget.
const referenceVar = "DISTILL_E2E_REFERENCE"

// TestApps builds every app's original Dockerfile and the conversion
// distill proposes (made from the files the App would read), runs both
// under runc, has distill's verifier (bot/verify) check the proposal
// against the same daemon, and compares sizes. With DISTILL_E2E_REFERENCE=1
// it also builds and runs the reference conversion, Dockerfile.distroless.
func TestApps(t *testing.T) {
	env := environment(t)
	reference := os.Getenv(referenceVar) == "1"
	if !reference {
		t.Logf("reference conversions (Dockerfile.distroless) not built; set %s=1 to build them too", referenceVar)
	}
	apps := loadApps(t)
	names := make([]string, 0, len(apps))
	for n := range apps {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Cleanup(func() { printTable(t) })
	for _, app := range names {
		x := apps[app]
		t.Run(app, func(t *testing.T) {
			ctx := context.Background()
			r := row{app: app}
			var orig v1.Image
			r.origBuild, orig = build(ctx, t, env, app, "Dockerfile")
			r.origRun = check(ctx, t, env, orig, x, app+" original")
			if reference {
				r.convBuild, r.conv, r.convRun = referenceConversion(ctx, t, env, app, x, orig)
			}
			var prop v1.Image
			r.propBuild, prop, r.verdict = proposal(ctx, t, env, app)
			r.propRun = check(ctx, t, env, prop, x, app+" distill's proposal")
			var err error
			if r.orig, err = testenv.ImageSize(orig); err != nil {
				t.Fatal(err)
			}
			if r.prop, err = testenv.ImageSize(prop); err != nil {
				t.Fatal(err)
			}
			if r.prop.Uncompressed >= r.orig.Uncompressed {
				t.Errorf("distill's proposal is not smaller: %+v vs original %+v", r.prop, r.orig)
			}
			if r.prop.Compressed >= r.orig.Compressed {
				t.Errorf("distill's proposal is not smaller compressed: %+v vs original %+v", r.prop, r.orig)
			}
			table.Lock()
			table.rows = append(table.rows, r)
			table.Unlock()
		})
	}
}

// TestNegativeImages builds the naive conversions under negative/, shows
// they fail at run time the way docs/distroless.md says, and that
// distill's verifier (bot/verify) rejects each of them without running it:
// the inspection is not a rubber stamp.
func TestNegativeImages(t *testing.T) {
	env := environment(t)
	apps := loadApps(t)
	for app, x := range apps {
		for c, want := range x.Negative {
			t.Run(app+"/"+c, func(t *testing.T) {
				ctx := context.Background()
				negative := filepath.Join("negative", c+".Dockerfile")
				verifyNegative(ctx, t, env, app, negative)
				_, img := build(ctx, t, env, app, negative)
				res, err := env.Runner.Run(ctx, img, testenv.RunOptions{Env: []string{"PORT=" + freePort(t)}, Timeout: 30 * time.Second})
				if err != nil {
					t.Fatalf("running: %v", err)
				}
				if res.TimedOut || res.ExitCode == 0 {
					t.Fatalf("expected a failure, got exit %d (timed out %v): %s", res.ExitCode, res.TimedOut, res.Output())
				}
				if !strings.Contains(res.Output(), want.RunError) {
					t.Fatalf("exit %d, output lacks %q:\n%s", res.ExitCode, want.RunError, res.Output())
				}
				t.Logf("fails as expected (exit %d): %s", res.ExitCode, lastLine(res.Output()))
			})
		}
	}
}

// referenceConversion builds and runs Dockerfile.distroless, the
// hand-written conversion, and checks it is smaller than the original.
func referenceConversion(ctx context.Context, t *testing.T, env *testenv.Env, app string, x expectation, orig v1.Image) (time.Duration, testenv.Size, string) {
	t.Helper()
	took, conv := build(ctx, t, env, app, "Dockerfile.distroless")
	run := check(ctx, t, env, conv, x, app+" distroless")
	size, err := testenv.ImageSize(conv)
	if err != nil {
		t.Fatal(err)
	}
	origSize, err := testenv.ImageSize(orig)
	if err != nil {
		t.Fatal(err)
	}
	if size.Uncompressed >= origSize.Uncompressed || size.Compressed >= origSize.Compressed {
		t.Errorf("distroless image is not smaller: %+v vs original %+v", size, origSize)
	}
	return took, size, run
}

// proposal converts the app's Dockerfile as the App would (the context
// files it reads through the API), verifies the proposal with bot/verify
// against the environment's daemon, and builds it for running.
func proposal(ctx context.Context, t *testing.T, env *testenv.Env, app string) (time.Duration, v1.Image, string) {
	t.Helper()
	dir := filepath.Join(appsDir(), app)
	src, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := localrepo.Context(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := analyzer.Convert(src, analyzer.ConvertOptions{Path: "Dockerfile", Context: rc})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != convert.Converted {
		t.Fatalf("distill did not convert %s: %s %+v", app, p.Status, p.Decline)
	}
	file := filepath.Join(t.TempDir(), "Dockerfile.distill")
	if err := os.WriteFile(file, p.Dockerfile, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("distill's proposal for %s (%s):\n%s", app, p.FinalImage, p.Dockerfile)

	v, err := verify.New(verify.Options{BuildkitHost: env.Addr, TempDir: env.Dir})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	rep, err := v.Verify(ctx, verify.Request{ContextDir: dir, Original: src, Converted: p.Dockerfile, Expect: verify.ExpectationFor(p.FinalImage)})
	if err != nil {
		t.Fatalf("verifying distill's proposal for %s: %v", app, err)
	}
	var text strings.Builder
	rep.WriteText(&text)
	if rep.Verdict != verify.Verified {
		t.Errorf("bot/verify says %s about distill's proposal for %s:\n%s", rep.Verdict, app, text.String())
	} else {
		t.Logf("bot/verify: %s", rep.Summary())
	}
	if rep.Original != nil && rep.Converted != nil {
		t.Logf("bot/verify builds: original %s, proposal %s", rep.Original.Duration.Round(time.Millisecond), rep.Converted.Duration.Round(time.Millisecond))
	}

	// The verifier's build is the one that did the work; the build for
	// running below is served from BuildKit's cache.
	_, img := build(ctx, t, env, app, file)
	var took time.Duration
	if rep.Converted != nil {
		took = rep.Converted.Duration
	}
	return took, img, string(rep.Verdict)
}

// verifyNegative runs bot/verify with the negative Dockerfile as the
// proposal, promising what distill's own proposal for the app promises.
func verifyNegative(ctx context.Context, t *testing.T, env *testenv.Env, app, negative string) {
	t.Helper()
	dir := filepath.Join(appsDir(), app)
	src, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join(dir, negative))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := localrepo.Context(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := analyzer.Convert(src, analyzer.ConvertOptions{Path: "Dockerfile", Context: rc})
	if err != nil || p.Status != convert.Converted {
		t.Fatalf("converting %s: %v %v", app, err, p.Status)
	}
	exp := verify.ExpectationOf(p)
	// The negative file's own final image, with the packages the app's
	// build installs.
	for _, line := range strings.Split(string(bad), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && strings.EqualFold(f[0], "FROM") {
			exp.Runtime = verify.ExpectationFor(f[1]).Runtime
		}
	}
	v, err := verify.New(verify.Options{BuildkitHost: env.Addr, TempDir: env.Dir})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	rep, err := v.Verify(ctx, verify.Request{ContextDir: dir, Original: src, Converted: bad, Expect: exp})
	if err != nil {
		t.Fatalf("verifying %s: %v", negative, err)
	}
	if rep.Verdict != verify.Failed {
		var text strings.Builder
		rep.WriteText(&text)
		t.Fatalf("bot/verify did not catch %s/%s: %s\n%s", app, negative, rep.Verdict, text.String())
	}
	for _, c := range rep.Failures() {
		t.Logf("bot/verify caught it: %s: %s", c.Name, c.Detail)
	}
}

func build(ctx context.Context, t *testing.T, env *testenv.Env, app, dockerfile string) (time.Duration, v1.Image) {
	t.Helper()
	logPath := filepath.Join(env.Dir, "log-"+app+"-"+strings.ReplaceAll(filepath.Base(dockerfile), "/", "_")+".txt")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	t0 := time.Now()
	img, err := env.Build(ctx, testenv.BuildRequest{ContextDir: filepath.Join(appsDir(), app), Dockerfile: dockerfile, Log: logf})
	took := time.Since(t0)
	if err != nil {
		b, _ := os.ReadFile(logPath)
		t.Fatalf("building %s/%s: %v\n%s", app, dockerfile, err, tailString(string(b), 4000))
	}
	t.Logf("built %s/%s in %s", app, dockerfile, took.Round(time.Millisecond))
	return took, img
}

// check runs img and verifies the expectation; it returns a short status
// for the table.
func check(ctx context.Context, t *testing.T, env *testenv.Env, img v1.Image, x expectation, what string) string {
	t.Helper()
	if x.HTTP == nil {
		res, err := env.Runner.Run(ctx, img, testenv.RunOptions{Timeout: time.Minute})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if res.ExitCode != 0 || !strings.Contains(res.Stdout, x.Stdout) {
			t.Errorf("%s: exit %d, stdout lacks %q:\n%s", what, res.ExitCode, x.Stdout, res.Output())
			return "FAIL"
		}
		t.Logf("%s: %s", what, lastLine(res.Stdout))
		return "ok (stdout)"
	}
	port := freePort(t)
	c, err := env.Runner.Start(ctx, img, testenv.RunOptions{Env: []string{"PORT=" + port}})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer c.Stop()
	url := "http://127.0.0.1:" + port + x.HTTP.Path
	deadline := time.Now().Add(time.Minute)
	var last string
	for time.Now().Before(deadline) {
		select {
		case <-c.Done():
			out, errOut := c.Output()
			t.Errorf("%s exited before serving %s: %s%s", what, url, out, errOut)
			return "FAIL"
		default:
		}
		body, err := get(url)
		if err == nil && strings.Contains(body, x.HTTP.Body) {
			t.Logf("%s: GET %s -> %s", what, x.HTTP.Path, strings.TrimSpace(body))
			return "ok (http)"
		}
		if err != nil {
			last = err.Error()
		} else {
			last = "body " + body
		}
		time.Sleep(200 * time.Millisecond)
	}
	out, errOut := c.Output()
	t.Errorf("%s: GET %s never returned %q (last: %s); output: %s%s", what, url, x.HTTP.Body, last, out, errOut)
	return "FAIL"
}

func get(url string) (string, error) {
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %s", resp.Status)
	}
	return string(b), nil
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func printTable(t *testing.T) {
	table.Lock()
	defer table.Unlock()
	sort.Slice(table.rows, func(i, j int) bool { return table.rows[i].app < table.rows[j].app })
	var b strings.Builder
	fmt.Fprintf(&b, "\n| app | original (uncompressed / compressed) | reference distroless | distill's proposal | distill / original (uncompressed / compressed) | build orig / ref / distill | run orig / ref / distill | bot/verify |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|\n")
	for _, r := range table.rows {
		ref, refBuild, refRun := "not built", "-", "-"
		if r.convRun != "" {
			ref = mib(r.conv.Uncompressed) + " / " + mib(r.conv.Compressed)
			refBuild, refRun = r.convBuild.Round(time.Second).String(), r.convRun
		}
		fmt.Fprintf(&b, "| %s | %s / %s | %s | %s / %s | %.1f%% / %.1f%% | %s / %s / %s | %s / %s / %s | %s |\n", r.app,
			mib(r.orig.Uncompressed), mib(r.orig.Compressed), ref,
			mib(r.prop.Uncompressed), mib(r.prop.Compressed),
			100*float64(r.prop.Uncompressed)/float64(r.orig.Uncompressed), 100*float64(r.prop.Compressed)/float64(r.orig.Compressed),
			r.origBuild.Round(time.Second), refBuild, r.propBuild.Round(time.Second),
			r.origRun, refRun, r.propRun, r.verdict)
	}
	fmt.Fprint(os.Stdout, b.String())
	t.Log(b.String())
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func tailString(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
