package testenv

import (
	"context"
	"errors"
	"fmt"

	"os"
	"os/exec"
	"path/filepath"

	"golang.org/x/sync/errgroup"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/distill-bot/distill/bot/verify/e2e/baseimages"
)

// CacheVar overrides the cache directory (default ~/.cache/distill-e2e).
const CacheVar = "DISTILL_E2E_CACHE"

// Options configure Start. The zero value is what the suite uses.
type Options struct {
	// CacheDir defaults to $DISTILL_E2E_CACHE or ~/.cache/distill-e2e.
	CacheDir string
	// ToolsDir is the tools module; DefaultToolsDir() when empty.
	ToolsDir string
	// Logf receives progress and timings; testing.TB.Logf when started
	// through Start.
	Logf func(format string, args ...any)
}

// Env is a running environment.
type Env struct {
	// Addr is the buildkitd address, "unix:///…/buildkitd.sock".
	Addr string
	// Registry serves every synthesized image.
	Registry *Registry
	// Runner runs images with runc.
	Runner *Runner
	// Images lists what the registry serves.
	Images []baseimages.Image
	// Dir is this environment's temporary directory.
	Dir string
	// Timings records how long each setup phase took.
	Timings []Timing

	buildkitd *Buildkitd
	logf      func(string, ...any)
	seq       atomic.Int64
}

// Timing is one measured setup phase.
type Timing struct {
	Phase    string
	Duration time.Duration
}

// DefaultCacheDir is $DISTILL_E2E_CACHE, else ~/.cache/distill-e2e.
func DefaultCacheDir() string {
	if d := os.Getenv(CacheVar); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "distill-e2e")
	}
	return filepath.Join(os.TempDir(), "distill-e2e-cache")
}

// Start brings the environment up for a test and registers Close with
// t.Cleanup; any failure is fatal to the test.
func Start(ctx context.Context, t testing.TB, opt Options) *Env {
	t.Helper()
	if opt.Logf == nil {
		opt.Logf = t.Logf
	}
	env, err := New(ctx, opt)
	if err != nil {
		t.Fatalf("starting e2e environment: %v", err)
	}
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Errorf("stopping e2e environment: %v", err)
		}
	})
	return env
}

// New brings the environment up: tools, registry, root images, buildkitd,
// builder images. The caller must Close it.
func New(ctx context.Context, opt Options) (_ *Env, err error) {
	if err := CheckPrerequisites(); err != nil {
		return nil, err
	}
	if opt.CacheDir == "" {
		opt.CacheDir = DefaultCacheDir()
	}
	if opt.ToolsDir == "" {
		opt.ToolsDir = DefaultToolsDir()
	}
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	// Short path: the buildkitd socket must fit in sun_path (108 bytes).
	dir, err := os.MkdirTemp("", "distill-e2e-")
	if err != nil {
		return nil, err
	}
	e := &Env{Dir: dir, logf: logf}
	defer func() {
		if err != nil {
			err = errors.Join(err, e.Close())
		}
	}()
	var timingsMu sync.Mutex
	phase := func(name string, f func() error) error {
		t0 := time.Now()
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		d := time.Since(t0)
		timingsMu.Lock()
		e.Timings = append(e.Timings, Timing{name, d})
		timingsMu.Unlock()
		logf("e2e setup: %s took %s", name, d.Round(time.Millisecond))
		return nil
	}
	cfg := baseimages.Config{CacheDir: opt.CacheDir, WorkDir: filepath.Join(dir, "work"), Logf: logf}
	if err := os.MkdirAll(cfg.WorkDir, 0o755); err != nil {
		return nil, err
	}
	runc, err := exec.LookPath("runc")
	if err != nil {
		return nil, err
	}
	if e.Runner, err = NewRunner(runc, filepath.Join(dir, "runc")); err != nil {
		return nil, err
	}
	if e.Registry, err = StartRegistry(filepath.Join(dir, "registry")); err != nil {
		return nil, err
	}
	// Building the BuildKit binaries is CPU-bound and synthesizing the root
	// images mostly waits on the network and dpkg: do both at once.
	var (
		tools Tools
		roots []baseimages.Image
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return phase("buildkit tools", func() (err error) {
			tools, err = EnsureTools(gctx, opt.CacheDir, opt.ToolsDir)
			return err
		})
	})
	g.Go(func() error {
		return phase("root images", func() (err error) {
			roots, err = baseimages.Roots(gctx, cfg)
			return err
		})
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := phase("push root images", func() error { return e.push(ctx, roots) }); err != nil {
		return nil, err
	}
	if err := phase("start buildkitd", func() (err error) {
		e.buildkitd, err = StartBuildkitd(ctx, tools.Buildkitd, filepath.Join(dir, "buildkit"), e.Registry.Host)
		if err == nil {
			e.Addr = e.buildkitd.Addr
		}
		return err
	}); err != nil {
		return nil, err
	}
	var builders []baseimages.Image
	if err := phase("builder images", func() (err error) {
		builders, err = baseimages.Builders(ctx, cfg, layoutBuilder{e}, roots)
		return err
	}); err != nil {
		return nil, err
	}
	if err := phase("push builder images", func() error { return e.push(ctx, builders) }); err != nil {
		return nil, err
	}
	e.Images = append(roots, builders...)
	if err := baseimages.Prune(opt.CacheDir, baseimages.CachedLayouts()); err != nil {
		logf("e2e setup: pruning stale cache entries: %v", err)
	}
	_ = os.RemoveAll(cfg.WorkDir)
	return e, nil
}

func (e *Env) push(ctx context.Context, imgs []baseimages.Image) error {
	for _, img := range imgs {
		if err := e.Registry.Push(ctx, img.Image, img.Refs...); err != nil {
			return err
		}
	}
	return nil
}

// layoutBuilder lets baseimages build the builder images on this
// environment's buildkitd.
type layoutBuilder struct{ e *Env }

func (b layoutBuilder) BuildLayout(ctx context.Context, contextDir, dockerfile string, args map[string]string, outDir string) error {
	logFile, err := os.Create(filepath.Join(b.e.Dir, "build-"+filepath.Base(outDir)+".log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	err = solve(ctx, b.e.Addr, BuildRequest{ContextDir: contextDir, Dockerfile: dockerfile, BuildArgs: args, OutDir: outDir, Log: logFile})
	if err != nil {
		return fmt.Errorf("%w\n%s", err, fileTail(logFile.Name(), 3000))
	}
	return nil
}

func fileTail(p string, n int) string {
	b, _ := os.ReadFile(p)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// Build builds req on this environment's buildkitd. When req.OutDir is
// empty the image is kept in a fresh directory under e.Dir.
func (e *Env) Build(ctx context.Context, req BuildRequest) (v1.Image, error) {
	if req.OutDir == "" {
		req.OutDir = filepath.Join(e.Dir, "out", fmt.Sprintf("build-%d", e.seq.Add(1)))
	}
	return Build(ctx, e.Addr, req)
}

// Image returns a synthesized image by public reference, as served.
func (e *Env) Image(ctx context.Context, ref string) (v1.Image, error) {
	return e.Registry.Pull(ctx, ref)
}

// BuildkitdLog returns the last part of buildkitd's log, for failure
// messages.
func (e *Env) BuildkitdLog() string {
	if e.buildkitd == nil {
		return ""
	}
	return e.buildkitd.logTail()
}

// Close stops containers, buildkitd and the registry, unmounts anything
// left under the environment's directory and removes it.
func (e *Env) Close() error {
	var errs []error
	if e.Runner != nil {
		if err := e.Runner.Close(); err != nil {
			errs = append(errs, fmt.Errorf("runner: %w", err))
		}
	}
	if e.buildkitd != nil {
		if err := e.buildkitd.Close(); err != nil {
			errs = append(errs, fmt.Errorf("buildkitd: %w", err))
		}
	}
	if e.Registry != nil {
		if err := e.Registry.Close(); err != nil {
			errs = append(errs, fmt.Errorf("registry: %w", err))
		}
	}
	if e.Dir != "" {
		if err := UnmountUnder(e.Dir); err != nil {
			errs = append(errs, err)
		}
		if err := os.RemoveAll(e.Dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
