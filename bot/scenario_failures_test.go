package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
)

// A push that fixes some findings: findings already commented are not
// repeated, fixed ones are listed as resolved, and the new review reflects
// the new head.
func TestSynchronizeWithPartialFix(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	broken := "FROM golang:1.26-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\nUSER root\nCMD /app\n"
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": broken})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	first := gh.Reviews("acme", "shop", n)
	if len(first) != 1 {
		t.Fatalf("reviews after open = %d", len(first))
	}
	// Fix the shell-form CMD and the root user; keep the rest.
	fixed := strings.Replace(strings.Replace(broken, "CMD /app", "CMD [\"/app\"]", 1), "USER root\n", "", 1)
	gh.Push("acme", "shop", n, map[string]string{"Dockerfile": fixed}, "fix CMD and user")
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("synchronize", "acme", "shop", n))
	waitIdle(t, e)
	reviews := gh.Reviews("acme", "shop", n)
	if len(reviews) != 2 {
		t.Fatalf("reviews after push = %d, want 2", len(reviews))
	}
	second := reviews[1]
	if !strings.Contains(second.Body, "Resolved since the last review") || !strings.Contains(second.Body, "~~ShellFormCmd in `Dockerfile`~~") || !strings.Contains(second.Body, "~~RunsAsRoot in `Dockerfile`~~") {
		t.Errorf("second review does not list the resolved findings:\n%s", second.Body)
	}
	for _, c := range second.Comments {
		for _, old := range first[0].Comments {
			if c.Body == old.Body {
				t.Errorf("comment repeated on the new head: %s", c.Body)
			}
		}
	}
	if !strings.Contains(second.Body, "already reported") {
		t.Errorf("open findings not summarised:\n%s", second.Body)
	}
	goldenMarkdown(t, "partial-fix.review.md", second.Body, map[string]string{second.CommitID: "HEAD_SHA"})
}

func TestBrokenRepoConfigFailsTheCheck(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{".github/distill.yml": "mode: review\nrulez:\n  disable: [RunsAsRoot]\n"},
		map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	pr := gh.PullRequests("acme", "shop")[0]
	runs := gh.CheckRuns("acme", "shop", pr.HeadSHA)
	if len(runs) != 1 || runs[0].Conclusion != "failure" || !strings.Contains(runs[0].Summary, "acme/shop:.github/distill.yml:2:1: unknown field \"rulez\"") {
		t.Fatalf("check runs = %+v", runs)
	}
	comments := gh.IssueComments("acme", "shop", n)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "unknown field") {
		t.Errorf("comments = %+v", comments)
	}
	if len(gh.Reviews("acme", "shop", n)) != 0 {
		t.Error("a review was posted despite the broken config")
	}
	// A redelivery does not comment twice.
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("reopened", "acme", "shop", n))
	waitIdle(t, e)
	if got := len(gh.IssueComments("acme", "shop", n)); got != 1 {
		t.Errorf("comments after redelivery = %d", got)
	}
}

func TestGitHub5xxThenSuccess(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.ServerError("/repos/acme/shop/pulls/*/files", 502), githubtest.ServerError("/repos/acme/shop/pulls/*/reviews", 503))
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Fatalf("reviews = %d, want exactly 1 after retries", got)
	}
}

func TestSecondaryRateLimitThenSuccess(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.SecondaryRateLimit("/repos/acme/shop/pulls/*/reviews", time.Second))
	start := time.Now()
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Fatalf("reviews = %d, want 1", got)
	}
	if time.Since(start) < time.Second {
		t.Errorf("the job did not wait for Retry-After")
	}
	// The job was snoozed, not failed: no errored attempt recorded.
	var errs int
	e.Server.DB.QueryRow(t.Context(), `SELECT COUNT(*) FROM river_job WHERE kind = 'review' AND errors IS NOT NULL AND errors != '[]' AND errors != 'null'`).Scan(&errs)
	if errs != 0 {
		t.Errorf("rate limit burned %d retries", errs)
	}
}

func TestTooManyRequestsSnoozes(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.TooManyRequests("/repos/acme/shop/pulls/*/files", time.Second))
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Fatalf("reviews = %d, want 1", got)
	}
}

// GitHub rejects the whole review when one comment is outside the diff;
// distill posts it again with the comments in the body.
func TestReviewRejected422RetriesWithoutComments(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.Fault{Method: "POST", Path: "/repos/acme/shop/pulls/*/reviews", Status: 422,
		Body: []byte(`{"message":"Unprocessable Entity","errors":["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],"documentation_url":"https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request","status":"422"}`)})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	reviews := gh.Reviews("acme", "shop", n)
	if len(reviews) != 1 {
		t.Fatalf("reviews = %d, want 1", len(reviews))
	}
	if len(reviews[0].Comments) != 0 || !strings.Contains(reviews[0].Body, "Inline comments GitHub would not place on the diff") || !strings.Contains(reviews[0].Body, "```suggestion") {
		t.Errorf("retried review = %+v", reviews[0])
	}
}

func TestRerequestedCheckRunsAgainWithoutNewReview(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	pr := gh.PullRequests("acme", "shop")[0]
	deliver(t, e, "check_suite", "d-2", gh.CheckSuiteEvent("rerequested", "acme", "shop", pr.HeadSHA))
	waitIdle(t, e)
	if got := len(gh.Reviews("acme", "shop", n)); got != 1 {
		t.Errorf("reviews = %d, want 1", got)
	}
	if runs := gh.CheckRuns("acme", "shop", pr.HeadSHA); len(runs) != 2 || runs[1].Status != "completed" {
		t.Errorf("check runs = %+v", runs)
	}
}

func TestDraftsAndBotsAreSkipped(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	gh.AddRepo(githubtest.Repo{Owner: "acme", Name: "shop", Files: map[string]string{"README.md": "x\n"}})
	gh.AddInstallation(githubtest.Installation{Account: "acme", Repositories: []string{"acme/shop"}})
	gh.Commit("acme", "shop", "draft", map[string]string{"Dockerfile": goSlim}, "wip")
	gh.Commit("acme", "shop", "deps", map[string]string{"Dockerfile": goSlim}, "bump")
	draft := gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "shop", Head: "draft", Author: "alice", Draft: true})
	bot := gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "shop", Head: "deps", Author: "renovate[bot]", AuthorType: "Bot"})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", draft))
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("opened", "acme", "shop", bot))
	waitIdle(t, e)
	if len(gh.Reviews("acme", "shop", draft))+len(gh.Reviews("acme", "shop", bot)) != 0 {
		t.Error("a draft or bot PR was reviewed")
	}
}

// A burst of pushes: the job of a superseded head is cancelled; only the
// newest head is reviewed.
func TestSupersededHeadIsNotReviewed(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.Slow("/repos/acme/shop/pulls/1/files", 2*time.Second))
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	gh.Push("acme", "shop", n, map[string]string{"Dockerfile": strings.Replace(goSlim, "8080", "9090", 1)}, "second")
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("synchronize", "acme", "shop", n))
	waitIdle(t, e)
	reviews := gh.Reviews("acme", "shop", n)
	head := gh.PullRequests("acme", "shop")[0].HeadSHA
	if len(reviews) != 1 || reviews[0].CommitID != head {
		t.Errorf("reviews = %d (want 1 on the newest head %s)", len(reviews), head)
	}
}

// The App lost access to the repository: the job is cancelled, not
// retried forever.
func TestLostAccessCancels(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	gh.Inject(githubtest.Fault{Path: "/repos/acme/shop/**", Times: -1, Status: 404, Body: []byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`)})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	var state string
	e.Server.DB.QueryRow(t.Context(), `SELECT state FROM river_job WHERE kind = 'review'`).Scan(&state)
	if state != "cancelled" {
		t.Errorf("review job state = %q, want cancelled", state)
	}
}
