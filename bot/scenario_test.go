package bot_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/analyzer/analyzertest"
	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
)

// startEnv starts distill and the fake GitHub for one test.
func startEnv(t *testing.T, opt bottest.Options) *bottest.Env {
	t.Helper()
	if testing.Verbose() {
		opt.Log = testWriter{t}
	}
	e, err := bottest.Start(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		os.RemoveAll(e.Dir())
	})
	return e
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// sampleRepo creates acme/shop with a PR that adds or changes the given
// files on branch "feature".
func sampleRepo(t *testing.T, gh *githubtest.Server, base, head map[string]string) int {
	t.Helper()
	gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: "shop", Files: base})
	gh.AddInstallation(githubtest.Installation{Account: "acme", Repositories: []string{"acme/shop"}})
	gh.Commit("acme", "shop", "feature", head, "change Dockerfiles")
	return gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "shop", Head: "feature", Author: "alice"})
}

func deliver(t *testing.T, e *bottest.Env, event, id string, payload []byte) int {
	t.Helper()
	code, err := e.Deliver(t.Context(), event, id, payload)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func waitIdle(t *testing.T, e *bottest.Env) {
	t.Helper()
	if err := e.WaitIdle(t.Context(), 2*time.Minute); err != nil {
		t.Fatal(err)
	}
}

// goldenMarkdown compares a review body with testdata/scenarios/<name>,
// with commit SHAs (which depend on commit times) replaced by names.
func goldenMarkdown(t *testing.T, name, got string, shas map[string]string) {
	t.Helper()
	for sha, label := range shas {
		got = strings.ReplaceAll(got, sha, label)
		got = strings.ReplaceAll(got, sha[:7], label)
	}
	file := filepath.Join("..", "testdata", "scenarios", name)
	if *analyzertest.Update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs; got:\n%s", name, got)
	}
}

const goSlim = "FROM golang:1.16-slim\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nEXPOSE 8080\nCMD [\"./main\"]\n"
const goCgo = "FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/myapp .\n\nFROM gcr.io/distroless/base\nCOPY --from=build /app/myapp .\nCMD [\"./myapp\"]\n"

func TestReviewPRWithSeveralDockerfiles(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "shop\n", "cgo/Dockerfile": strings.Replace(goCgo, "myapp", "app", -1)},
		map[string]string{"api/Dockerfile": goSlim, "cgo/Dockerfile": goCgo, "docs/guide.md": "hi\n"})
	if code := deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n)); code != http.StatusAccepted {
		t.Fatalf("status %d", code)
	}
	waitIdle(t, e)
	reviews := gh.Reviews("acme", "shop", n)
	if len(reviews) != 1 {
		t.Fatalf("reviews = %d, want 1", len(reviews))
	}
	r := reviews[0]
	if r.State != "COMMENTED" || r.User != "distill-test[bot]" {
		t.Errorf("review state %s by %s", r.State, r.User)
	}
	var whole bool
	for _, c := range r.Comments {
		if c.Path == "api/Dockerfile" && len(c.Suggestions) == 1 && strings.Contains(c.Suggestions[0], "gcr.io/distroless/static-debian13:nonroot") {
			whole = true
		}
	}
	if !whole {
		t.Errorf("the added api/Dockerfile did not get the whole conversion as a suggestion: %+v", r.Comments)
	}
	runs := gh.CheckRuns("acme", "shop", r.CommitID)
	if len(runs) != 1 || runs[0].Status != "completed" || runs[0].Conclusion != "neutral" || len(runs[0].Annotations) == 0 {
		t.Errorf("check runs = %+v", runs)
	}
	goldenMarkdown(t, "several-dockerfiles.review.md", r.Body, map[string]string{r.CommitID: "HEAD_SHA"})
}

func TestNoDockerfilesNoReview(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"main.go": "package main\n"})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	if got := gh.Reviews("acme", "shop", n); len(got) != 0 {
		t.Errorf("reviews = %d, want none", len(got))
	}
	pr := gh.PullRequests("acme", "shop")[0]
	runs := gh.CheckRuns("acme", "shop", pr.HeadSHA)
	if len(runs) != 1 || runs[0].Conclusion != "neutral" || runs[0].Title != "No Dockerfiles changed" {
		t.Errorf("check runs = %+v", runs)
	}
}

func TestRedeliveryPostsNothingNew(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	payload := gh.PullRequestEvent("opened", "acme", "shop", n)
	deliver(t, e, "pull_request", "d-1", payload)
	waitIdle(t, e)
	before := len(gh.Requests())
	for i := 0; i < 3; i++ {
		if code := deliver(t, e, "pull_request", "d-1", payload); code != http.StatusAccepted {
			t.Fatalf("redelivery status %d", code)
		}
	}
	// A different delivery for the same head (GitHub sends reopened, or a
	// second hook fires) must not post again either.
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("reopened", "acme", "shop", n))
	waitIdle(t, e)
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Errorf("reviews = %d, want 1", got)
	}
	if after := len(gh.Requests()); after != before {
		t.Errorf("redeliveries made %d GitHub requests", after-before)
	}
}

func TestInvalidSignatureIs401(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, e.URL+"/webhook", strings.NewReader(`{"action":"opened"}`))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", "d-x")
	req.Header.Set("X-Hub-Signature-256", "sha256=0000")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
	req.Header.Del("X-Hub-Signature-256")
	req.Body = http.NoBody
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("missing signature: status %d, want 401", resp.StatusCode)
	}
	var n int
	e.Server.DB.QueryRow(t.Context(), `SELECT COUNT(*) FROM river_job`).Scan(&n)
	if n != 0 {
		t.Errorf("%d jobs enqueued for unauthenticated deliveries", n)
	}
}
