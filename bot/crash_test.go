package bot_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/distill-bot/distill/bot/githubtest"
	"github.com/distill-bot/distill/bot/githubtest/hook"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// distillBinary builds cmd/distill once per test binary.
func distillBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "distill-bin-*")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "distill")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/distill").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is a `distill serve` subprocess.
type process struct {
	cmd  *exec.Cmd
	addr string
	log  *strings.Builder
}

func startServe(t *testing.T, gh *githubtest.Server, db string) *process {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(distillBinary(t), "serve")
	cmd.Env = append(os.Environ(),
		fmt.Sprintf("DISTILL_APP_ID=%d", gh.AppID()),
		"DISTILL_PRIVATE_KEY="+string(gh.PrivateKeyPEM()),
		"DISTILL_WEBHOOK_SECRET=crash-secret",
		"DISTILL_GITHUB_URL="+gh.APIURL(),
		"DISTILL_DATABASE_URL="+db,
		"DISTILL_LISTEN="+addr,
		"DISTILL_POLL_INTERVAL=20ms",
		"DISTILL_RETRY_BASE=100ms",
		"DISTILL_MUTATION_PAUSE=1ms",
		"DISTILL_LOG_LEVEL=debug",
	)
	p := &process{cmd: cmd, addr: addr, log: &strings.Builder{}}
	cmd.Stderr = &syncWriter{b: p.log}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("distill serve log:\n%s", p.log.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("distill serve did not listen on %s:\n%s", addr, p.log.String())
	return nil
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitWithin polls cond until it holds.
func waitWithin(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A crash after the 202 and before the review loses nothing: the
// restarted process resumes the job from the database and posts exactly
// one review.
func TestCrashAfterAcceptLosesNothing(t *testing.T) {
	t.Parallel()
	gh := githubtest.New(t)
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	db := filepath.Join(t.TempDir(), "distill.db")
	// Hold the review job in flight long enough to kill the process.
	gh.Inject(githubtest.Slow("/repos/acme/shop/pulls/1/files", 3*time.Second))
	p := startServe(t, gh, db)
	resp, err := hook.Deliver(context.Background(), "http://"+p.addr+"/webhook", "crash-secret", "pull_request", "d-crash", gh.PullRequestEvent("opened", "acme", "shop", n))
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("deliver: %v %v", resp, err)
	}
	resp.Body.Close()
	waitWithin(t, 10*time.Second, "the review job to start", func() bool {
		return len(gh.RequestsTo("POST", "/repos/acme/shop/check-runs")) > 0 // the next request (the file list) is held back
	})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	if got := len(gh.Reviews("acme", "shop", n)); got != 0 {
		t.Fatalf("review posted before the crash (%d); the test did not crash mid-job", got)
	}
	gh.ClearFaults()
	startServe(t, gh, db)
	waitWithin(t, 20*time.Second, "the review after restart", func() bool { return len(gh.Reviews("acme", "shop", n)) > 0 })
	time.Sleep(500 * time.Millisecond)
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Errorf("reviews = %d, want exactly 1", got)
	}
}

// SIGTERM drains: the job in flight finishes and is posted before the
// process exits.
func TestSIGTERMDrains(t *testing.T) {
	t.Parallel()
	gh := githubtest.New(t)
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.Slow("/repos/acme/shop/pulls/1/files", time.Second))
	p := startServe(t, gh, filepath.Join(t.TempDir(), "distill.db"))
	resp, err := hook.Deliver(context.Background(), "http://"+p.addr+"/webhook", "crash-secret", "pull_request", "d-term", gh.PullRequestEvent("opened", "acme", "shop", n))
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("deliver: %v %v", resp, err)
	}
	resp.Body.Close()
	waitWithin(t, 10*time.Second, "the review job to start", func() bool {
		return len(gh.RequestsTo("POST", "/repos/acme/shop/check-runs")) > 0 // the next request (the file list) is held back
	})
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("distill serve exited with %v after SIGTERM", err)
	}
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Errorf("reviews = %d after a graceful stop, want 1", got)
	}
}
