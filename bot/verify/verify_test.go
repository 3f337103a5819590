package verify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// fakeBuilder returns canned results keyed by Dockerfile content, and
// records the jobs it was given.
type fakeBuilder struct {
	pingErr error
	results map[string]*buildResult
	errs    map[string]error

	mu   sync.Mutex
	jobs []buildJob
}

var _ builder = (*fakeBuilder)(nil)

func (f *fakeBuilder) ping(context.Context) error { return f.pingErr }

func (f *fakeBuilder) build(_ context.Context, job buildJob) (*buildResult, error) {
	f.mu.Lock()
	f.jobs = append(f.jobs, job)
	f.mu.Unlock()
	if st, err := os.Stat(job.WorkDir); err != nil || !st.IsDir() {
		return nil, errors.New("work directory missing")
	}
	df := string(job.Dockerfile)
	if err := f.errs[df]; err != nil {
		return nil, err
	}
	if r, ok := f.results[df]; ok {
		return r, nil
	}
	return nil, errors.New("fake: unknown Dockerfile " + df)
}

func contextDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const (
	origDF = "FROM golang:1.26\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"
	convDF = "FROM golang:1.26-trixie AS build\n…\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"
)

func goodImages(t *testing.T) (orig, conv v1.Image) {
	bin := staticBinary(t)
	orig = image(t, v1.Config{Cmd: []string{"/app"}, Env: []string{"PATH=/usr/bin"}},
		newLayer(t).exe("bin/sh", bin).text("big", strings.Repeat("x", 50000)), newLayer(t).exe("app", bin))
	conv = image(t, v1.Config{Entrypoint: []string{"/app"}, User: "65532", WorkingDir: "/home/nonroot",
		ExposedPorts: map[string]struct{}{"8080/tcp": {}}},
		newLayer(t).exe("app", bin))
	return orig, conv
}

var promise = Expectation{NonRoot: true, Distroless: true, Runtime: RuntimeStatic}

func TestVerifyVerified(t *testing.T) {
	t.Parallel()
	orig, conv := goodImages(t)
	fb := &fakeBuilder{results: map[string]*buildResult{
		origDF: {Image: orig, LogTail: []string{"#1 done"}},
		convDF: {Image: conv},
	}}
	v := newWithBuilder(Options{TempDir: t.TempDir()}, fb)
	req := Request{ContextDir: contextDir(t), Original: []byte(origDF), Converted: []byte(convDF),
		Target: "release", BuildArgs: map[string]string{"VERSION": "1.2"}, Expect: promise}
	rep, err := v.Verify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != Verified {
		t.Fatalf("verdict %s (%s); checks:\n%s", rep.Verdict, rep.Reason, dumpChecks(rep.Checks))
	}
	if !rep.Original.Built || !rep.Converted.Built {
		t.Fatal("both images should be reported as built")
	}
	if rep.Original.Layers != 2 || rep.Converted.Layers != 1 {
		t.Errorf("layers = %d, %d; want 2, 1", rep.Original.Layers, rep.Converted.Layers)
	}
	if rep.Converted.CompressedSize <= 0 || rep.Converted.UncompressedSize <= rep.Converted.CompressedSize/2 ||
		rep.Original.UncompressedSize <= rep.Converted.UncompressedSize {
		t.Errorf("sizes look wrong: original %d/%d converted %d/%d", rep.Original.CompressedSize, rep.Original.UncompressedSize,
			rep.Converted.CompressedSize, rep.Converted.UncompressedSize)
	}
	if diff := cmp.Diff([]string{"8080/tcp"}, rep.Converted.ExposedPorts); diff != "" {
		t.Errorf("ports (-want +got):\n%s", diff)
	}
	if rep.Converted.User != "65532" || rep.Converted.WorkingDir != "/home/nonroot" || rep.Converted.Platform == "" || !strings.HasPrefix(rep.Converted.Digest, "sha256:") {
		t.Errorf("config not reported: %+v", rep.Converted)
	}
	if diff := cmp.Diff([]string{"#1 done"}, rep.Original.LogTail); diff != "" {
		t.Errorf("log tail (-want +got):\n%s", diff)
	}
	wantCheck(t, rep.Checks, "no-shell", Pass)
	wantCheck(t, rep.Checks, "non-root", Pass)
	// The original is built to its target, the converted one to its last stage.
	if len(fb.jobs) != 2 || fb.jobs[0].Target != "release" || fb.jobs[1].Target != "" || fb.jobs[1].BuildArgs["VERSION"] != "1.2" {
		t.Errorf("jobs: %+v", fb.jobs)
	}
	if fb.jobs[0].WorkDir == fb.jobs[1].WorkDir {
		t.Error("the two builds shared a work directory")
	}
	if _, err := os.Stat(fb.jobs[0].WorkDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("work directory %s left behind", fb.jobs[0].WorkDir)
	}
}

func TestVerifyVerdicts(t *testing.T) {
	t.Parallel()
	orig, conv := goodImages(t)
	broken := image(t, v1.Config{Entrypoint: []string{"/missing"}}, newLayer(t).text("x", "x"))
	buildErr := &buildResult{Err: errors.New("failed to solve: process \"/bin/sh -c go build\" did not complete successfully: exit code: 1"),
		LogTail: []string{"#5 ERROR: exit code: 1"}}
	cases := []struct {
		name     string
		orig     *buildResult
		conv     *buildResult
		noConv   bool
		verdict  Verdict
		reason   string
		failures int
	}{
		{"converted image fails a check", &buildResult{Image: orig}, &buildResult{Image: broken}, false, Failed, "2 checks fail on the converted image", 2},
		{"converted does not build", &buildResult{Image: orig}, buildErr, false, Failed, "the converted Dockerfile does not build", 0},
		{"original broken, converted fine", buildErr, &buildResult{Image: conv}, false, OriginalBroken, "the converted one builds and passes every check", 0},
		{"both broken", buildErr, buildErr, false, OriginalBroken, "neither does the converted one; not held against the proposal", 0},
		{"original broken, converted fails checks", buildErr, &buildResult{Image: broken}, false, OriginalBroken, "2 checks fail on the converted image, but the original Dockerfile does not build either", 2},
		{"original only", &buildResult{Image: orig}, nil, true, Skipped, "the original was measured only", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fb := &fakeBuilder{results: map[string]*buildResult{origDF: tc.orig, convDF: tc.conv}}
			v := newWithBuilder(Options{TempDir: t.TempDir()}, fb)
			req := Request{ContextDir: contextDir(t), Original: []byte(origDF), Converted: []byte(convDF), Expect: promise}
			if tc.noConv {
				req.Converted = nil
			}
			rep, err := v.Verify(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Verdict != tc.verdict || !strings.Contains(rep.Reason, tc.reason) {
				t.Errorf("verdict %s: %q; want %s: …%q…", rep.Verdict, rep.Reason, tc.verdict, tc.reason)
			}
			if got := len(rep.Failures()); got != tc.failures {
				t.Errorf("%d failures, want %d:\n%s", got, tc.failures, dumpChecks(rep.Checks))
			}
			if tc.orig == buildErr {
				if rep.Original.Built || rep.Original.BuildError != `process "/bin/sh -c go build" did not complete successfully: exit code: 1` {
					t.Errorf("original: %+v", rep.Original)
				}
				if diff := cmp.Diff(buildErr.LogTail, rep.Original.LogTail); diff != "" {
					t.Errorf("log tail (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestVerifyRefusesOrFailsEarly(t *testing.T) {
	t.Parallel()
	orig, conv := goodImages(t)
	good := map[string]*buildResult{origDF: {Image: orig}, convDF: {Image: conv}}

	t.Run("context over the limits is skipped before any build", func(t *testing.T) {
		fb := &fakeBuilder{results: good}
		v := newWithBuilder(Options{ContextLimits: ExtractLimits{MaxBytes: 4}}, fb)
		rep, err := v.Verify(context.Background(), Request{ContextDir: contextDir(t), Original: []byte(origDF), Converted: []byte(convDF)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Verdict != Skipped || !strings.Contains(rep.Reason, "build context refused: more than 4 bytes") {
			t.Errorf("verdict %s: %s", rep.Verdict, rep.Reason)
		}
		if len(fb.jobs) != 0 {
			t.Error("built despite the refused context")
		}
	})
	t.Run("unreachable daemon is an error", func(t *testing.T) {
		fb := &fakeBuilder{results: good, pingErr: errors.New("connection refused")}
		v := newWithBuilder(Options{}, fb)
		_, err := v.Verify(context.Background(), Request{ContextDir: contextDir(t), Original: []byte(origDF)})
		if err == nil || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("infrastructure failure during a build is an error", func(t *testing.T) {
		fb := &fakeBuilder{results: good, errs: map[string]error{convDF: errors.New("daemon went away")}}
		v := newWithBuilder(Options{}, fb)
		_, err := v.Verify(context.Background(), Request{ContextDir: contextDir(t), Original: []byte(origDF), Converted: []byte(convDF)})
		if err == nil || !strings.Contains(err.Error(), "daemon went away") {
			t.Errorf("err = %v", err)
		}
	})
	bad := []struct {
		name string
		req  Request
		want string
	}{
		{"no context", Request{Original: []byte(origDF)}, "ContextDir is empty"},
		{"missing context", Request{ContextDir: "/nonexistent/ctx", Original: []byte(origDF)}, "context directory"},
		{"no original", Request{ContextDir: t.TempDir()}, "Original is empty"},
		{"empty converted", Request{ContextDir: t.TempDir(), Original: []byte(origDF), Converted: []byte{}}, "use nil"},
		{"reserved build arg", Request{ContextDir: t.TempDir(), Original: []byte(origDF), BuildArgs: map[string]string{"BUILDKIT_SYNTAX": "evil/frontend"}}, "reserved for BuildKit"},
		{"bad build arg name", Request{ContextDir: t.TempDir(), Original: []byte(origDF), BuildArgs: map[string]string{"A=B": "x"}}, "invalid build argument"},
		{"unknown runtime", Request{ContextDir: t.TempDir(), Original: []byte(origDF), Expect: Expectation{Runtime: "ruby"}}, "unknown runtime"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			fb := &fakeBuilder{results: good}
			v := newWithBuilder(Options{}, fb)
			_, err := v.Verify(context.Background(), tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if len(fb.jobs) != 0 {
				t.Error("built an invalid request")
			}
		})
	}
}

func TestClientOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		opts  Options
		n     int
		error string
	}{
		{"unix socket", Options{BuildkitHost: "unix:///run/buildkit/buildkitd.sock"}, 0, ""},
		{"empty", Options{}, 0, "BuildkitHost is empty"},
		{"tcp without TLS", Options{BuildkitHost: "tcp://10.0.0.5:1234"}, 0, "without TLS"},
		{"tcp allowed in the clear", Options{BuildkitHost: "tcp://127.0.0.1:1234", AllowInsecureTCP: true}, 0, ""},
		{"tcp with mutual TLS", Options{BuildkitHost: "tcp://bk:1234", TLS: &TLSOptions{CACert: "ca.pem", Cert: "c.pem", Key: "k.pem"}}, 2, ""},
		{"tcp with system roots", Options{BuildkitHost: "tcp://bk:1234", TLS: &TLSOptions{ServerName: "buildkit.internal"}}, 1, ""},
		{"cert without key", Options{BuildkitHost: "tcp://bk:1234", TLS: &TLSOptions{Cert: "c.pem"}}, 0, "given together"},
		{"TLS on a unix socket", Options{BuildkitHost: "unix:///x.sock", TLS: &TLSOptions{}}, 0, "for tcp://"},
		{"helper schemes refused", Options{BuildkitHost: "docker-container://buildx_buildkit"}, 0, "only unix:// and tcp://"},
	}
	for _, tc := range cases {
		copts, err := clientOptions(tc.opts)
		if tc.error != "" {
			if err == nil || !strings.Contains(err.Error(), tc.error) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.error)
			}
			continue
		}
		if err != nil || len(copts) != tc.n {
			t.Errorf("%s: %d options, err %v; want %d", tc.name, len(copts), err, tc.n)
		}
	}
}

func TestNewIsLazyAndValidates(t *testing.T) {
	t.Parallel()
	v, err := New(Options{BuildkitHost: "unix://" + filepath.Join(t.TempDir(), "none.sock")})
	if err != nil {
		t.Fatalf("New should not dial: %v", err)
	}
	if err := v.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := New(Options{BuildkitHost: "unix:///x.sock", Platform: "not a platform/x/y/z"}); err == nil {
		t.Error("a malformed platform was accepted")
	}
}

func TestFrontendAttrs(t *testing.T) {
	t.Parallel()
	got := frontendAttrs(buildJob{Target: "prod", BuildArgs: map[string]string{"B": "2", "A": "1"}}, "linux/arm64")
	want := map[string]string{
		"filename":    "Dockerfile",
		"platform":    "linux/arm64",
		"target":      "prod",
		"build-arg:A": "1",
		"build-arg:B": "2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A package the original image has installed but the converted image lacks
// fails the verdict: the import would fail at start.
func TestVerifyLostPythonPackageFails(t *testing.T) {
	t.Parallel()
	orig, conv := goodImages(t)
	orig, err := mutate.AppendLayers(orig, newLayer(t).text("usr/local/lib/python3.13/site-packages/greeting-1.0.dist-info/METADATA", "Name: greeting").build())
	if err != nil {
		t.Fatal(err)
	}
	fb := &fakeBuilder{results: map[string]*buildResult{origDF: {Image: orig}, convDF: {Image: conv}}}
	v := newWithBuilder(Options{TempDir: t.TempDir()}, fb)
	exp := promise
	exp.PythonPackages = []string{"greeting"}
	rep, err := v.Verify(context.Background(), Request{ContextDir: contextDir(t), Original: []byte(origDF), Converted: []byte(convDF), Expect: exp})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != Failed {
		t.Fatalf("verdict %s; checks:\n%s", rep.Verdict, dumpChecks(rep.Checks))
	}
	wantCheck(t, rep.Checks, "python-packages", Fail, "greeting 1.0")
}
