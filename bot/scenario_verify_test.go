package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/distill-bot/distill/bot"
	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/verify"
)

// fakeVerifier returns a canned report and records what it was asked to
// build (a real BuildKit daemon runs in the end-to-end suite).
type fakeVerifier struct {
	mu       sync.Mutex
	report   verify.Report
	requests []verify.Request
	contexts []string // files in the context directory, as seen
}

func (f *fakeVerifier) Verify(ctx context.Context, req verify.Request) (*verify.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, req)
	filepath.WalkDir(req.ContextDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(req.ContextDir, p)
			f.contexts = append(f.contexts, filepath.ToSlash(rel))
		}
		return nil
	})
	r := f.report
	return &r, nil
}

var verified = verify.Report{Verdict: verify.Verified, Original: &verify.ImageReport{Built: true, UncompressedSize: 812e6},
	Converted: &verify.ImageReport{Built: true, UncompressedSize: 9.8e6}}

var failedInspection = verify.Report{Verdict: verify.Failed, Original: &verify.ImageReport{Built: true, UncompressedSize: 812e6},
	Converted: &verify.ImageReport{Built: true, UncompressedSize: 9.8e6},
	Checks:    []verify.Check{{Name: "elf-interpreter", Status: verify.Fail, Detail: "/app/main needs the ELF interpreter /lib64/ld-linux-x86-64.so.2: not in image"}}}

func verifyEnv(t *testing.T, v *fakeVerifier) *bottest.Env {
	t.Helper()
	var opts []bot.Option
	if v != nil {
		opts = append(opts, bot.WithVerifier(v))
	}
	return startEnv(t, bottest.Options{ServerOptions: opts})
}

func TestVerifyOnFillsInTheVerdict(t *testing.T) {
	t.Parallel()
	v := &fakeVerifier{report: verified}
	e := verifyEnv(t, v)
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{".github/distill.yml": "verify: on\n", "main.go": "package main\n", "go.mod": "module x\n\ngo 1.26\n"},
		map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	reviews := gh.Reviews("acme", "shop", n)
	if len(reviews) != 1 {
		t.Fatalf("reviews = %d", len(reviews))
	}
	body := reviews[0].Body
	if !strings.Contains(body, "Verification: <!-- distill:verification path=\"Dockerfile\" -->built ✓, inspected ✓, 812.0 MB → 9.8 MB (-99%)") {
		t.Errorf("verdict not filled in:\n%s", body)
	}
	if len(v.requests) != 1 || !strings.Contains(string(v.requests[0].Converted), "static-debian13:nonroot") || v.requests[0].Expect.Runtime != verify.RuntimeStatic {
		t.Fatalf("verifier requests = %+v", v.requests)
	}
	// The build context is the repository at the head, extracted.
	joined := strings.Join(v.contexts, " ")
	if !strings.Contains(joined, "main.go") || !strings.Contains(joined, "Dockerfile") {
		t.Errorf("context files = %v", v.contexts)
	}
	// Still one review: the verdict edits it.
	if len(reviews[0].Comments) == 0 {
		t.Error("the suggestion was withheld in verify: on")
	}
}

func TestVerifyRequiredWithholdsFailedProposals(t *testing.T) {
	t.Parallel()
	v := &fakeVerifier{report: failedInspection}
	e := verifyEnv(t, v)
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{".github/distill.yml": "verify: required\n"}, map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	r := gh.Reviews("acme", "shop", n)[0]
	for _, c := range r.Comments {
		for _, s := range c.Suggestions {
			if strings.Contains(s, "distroless") {
				t.Errorf("an unverified conversion was offered as a suggestion: %s", s)
			}
		}
	}
	if !strings.Contains(r.Body, "**Not offered:** the conversion did not pass verification") || !strings.Contains(r.Body, "ld-linux-x86-64.so.2: not in image") {
		t.Errorf("the failure is not explained:\n%s", r.Body)
	}
	if strings.Contains(r.Body, "```dockerfile") {
		t.Errorf("the failed proposal is shown:\n%s", r.Body)
	}
}

func TestVerifyRequiredShowsVerifiedProposals(t *testing.T) {
	t.Parallel()
	v := &fakeVerifier{report: verified}
	e := verifyEnv(t, v)
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{".github/distill.yml": "verify: required\n"}, map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	r := gh.Reviews("acme", "shop", n)[0]
	if !strings.Contains(r.Body, "```dockerfile") || !strings.Contains(r.Body, "built ✓, inspected ✓") {
		t.Errorf("the verified proposal is not shown:\n%s", r.Body)
	}
}

func TestVerifyWithoutBuildKitSaysSo(t *testing.T) {
	t.Parallel()
	e := verifyEnv(t, nil)
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{".github/distill.yml": "verify: on\n"}, map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	r := gh.Reviews("acme", "shop", n)[0]
	if !strings.Contains(r.Body, "not verified: no BuildKit daemon is configured") {
		t.Errorf("missing BuildKit not explained:\n%s", r.Body)
	}
}

// A follow-up pull request under verify: on shows the verdict, and reuses
// the review's verification of the same proposal instead of building again.
func TestOptimizeWithVerifyOnShowsTheVerdict(t *testing.T) {
	t.Parallel()
	v := &fakeVerifier{report: verified}
	e := verifyEnv(t, v)
	gh := e.GitHub
	_, n := shop(t, gh, map[string]string{".github/distill.yml": "verify: on\n", "README.md": "x\n"},
		map[string]string{"api/Dockerfile": goSlim, "api/go.mod": "module x\n\ngo 1.26\n", "api/main.go": "package main\n"})
	gh.SetPermission("acme", "shop", "alice", "write")
	deliver(t, e, "pull_request", "d-open", gh.PullRequestEvent("opened", "acme", "shop", n))
	settle(t, e)
	say(t, e, "acme/shop", n, "alice", "/optimize")
	settle(t, e)
	fus := followups(gh, "acme/shop")
	if len(fus) != 1 {
		t.Fatalf("follow-ups = %d", len(fus))
	}
	if !strings.Contains(fus[0].Body, "**Verification:** built ✓, inspected ✓, 812.0 MB → 9.8 MB (-99%)") {
		t.Errorf("the follow-up does not show the verdict:\n%s", fus[0].Body)
	}
	if len(v.requests) != 1 {
		t.Errorf("the same proposal was built %d times; the follow-up should reuse the review's verification", len(v.requests))
	}
}

// Under verify: required a conversion that fails verification gets no
// follow-up pull request; the reply says why.
func TestOptimizeWithVerifyRequiredWithholdsFailures(t *testing.T) {
	t.Parallel()
	v := &fakeVerifier{report: failedInspection}
	e := verifyEnv(t, v)
	gh := e.GitHub
	_, n := shop(t, gh, map[string]string{".github/distill.yml": "verify: required\n", "README.md": "x\n"},
		map[string]string{"api/Dockerfile": goSlim})
	gh.SetPermission("acme", "shop", "alice", "write")
	deliver(t, e, "pull_request", "d-open", gh.PullRequestEvent("opened", "acme", "shop", n))
	settle(t, e)
	say(t, e, "acme/shop", n, "alice", "/optimize")
	settle(t, e)
	if fus := followups(gh, "acme/shop"); len(fus) != 0 {
		t.Fatalf("a follow-up was opened for a conversion that failed verification: %s", fus[0].Body)
	}
	replies := botComments(gh, "acme/shop", n)
	if len(replies) != 1 || !strings.Contains(replies[0].Body, "did not pass verification") || !strings.Contains(replies[0].Body, "ld-linux-x86-64.so.2") {
		t.Fatalf("replies = %+v", replies)
	}
}
