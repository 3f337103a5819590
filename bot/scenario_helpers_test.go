package bot_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/ghapp"
	"github.com/distill-bot/distill/bot/githubtest"
)

// Helpers for the command, follow-up and onboarding scenarios (the review
// scenarios' helpers live in scenario_test.go).

// shop creates acme/shop (an organisation repository) with base files on
// main, installs the App on acme, and opens a pull request by alice from
// "feature" with the head files. It returns the installation and the
// pull request number.
func shop(t *testing.T, gh *githubtest.Server, base, head map[string]string) (int64, int) {
	t.Helper()
	gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: "shop", Files: base})
	inst := gh.AddInstallation(githubtest.Installation{Account: "acme"})
	gh.Commit("acme", "shop", "feature", head, "change Dockerfiles")
	n := gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "shop", Head: "feature", Author: "alice"})
	return inst, n
}

// say posts a comment as user and delivers its issue_comment event.
func say(t *testing.T, e *bottest.Env, repo string, number int, user, body string) int64 {
	t.Helper()
	owner, name, _ := strings.Cut(repo, "/")
	id := e.GitHub.AddIssueComment(owner, name, number, user, body)
	deliver(t, e, "issue_comment", fmt.Sprintf("c-%d", id), e.GitHub.IssueCommentEvent("created", owner, name, id))
	return id
}

// reactions lists the reactions on a comment, in order.
func reactions(gh *githubtest.Server, repo string, comment int64) []string {
	owner, name, _ := strings.Cut(repo, "/")
	var out []string
	for _, r := range gh.Reactions(owner, name, comment) {
		out = append(out, r.Content)
	}
	return out
}

// botComments returns distill's comments on an issue or pull request.
func botComments(gh *githubtest.Server, repo string, number int) []githubtest.IssueComment {
	owner, name, _ := strings.Cut(repo, "/")
	var out []githubtest.IssueComment
	for _, c := range gh.IssueComments(owner, name, number) {
		if c.User == gh.BotLogin() {
			out = append(out, c)
		}
	}
	return out
}

// followups returns the pull requests distill opened in a repository.
func followups(gh *githubtest.Server, repo string) []githubtest.PullRequest {
	owner, name, _ := strings.Cut(repo, "/")
	var out []githubtest.PullRequest
	for _, pr := range gh.PullRequests(owner, name) {
		if pr.User == gh.BotLogin() {
			out = append(out, pr)
		}
	}
	return out
}

// apiCalls counts the installation-token API calls made since mark (an
// index into the request log), by endpoint.
func apiCalls(gh *githubtest.Server, mark int) (int, map[string]int) {
	reqs := gh.Requests()[mark:]
	by := map[string]int{}
	n := 0
	for _, r := range reqs {
		if r.Auth != githubtest.AuthToken {
			continue
		}
		n++
		by[r.Method+" "+ghapp.Endpoint(r.Path)]++
	}
	return n, by
}

// logCalls prints an API call breakdown.
func logCalls(t *testing.T, what string, n int, by map[string]int) {
	t.Helper()
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %3d  %s", by[k], k)
	}
	t.Logf("%s: %d API calls%s", what, n, b.String())
}

// client is an installation client for test-side API calls (editing an
// issue body as GitHub's editor would).
func client(t *testing.T, gh *githubtest.Server, inst int64) *github.Client {
	t.Helper()
	app, err := ghapp.New(ghapp.Config{AppID: gh.AppID(), PrivateKey: gh.PrivateKeyPEM(), BaseURL: gh.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	return app.Installation(inst)
}

// issuesEvent builds an issues payload for an issue as the fake has it now;
// from is the body before an edit.
func issuesEvent(t *testing.T, gh *githubtest.Server, inst int64, action, repo string, number int, sender, from string) []byte {
	t.Helper()
	c := client(t, gh, inst)
	owner, name, _ := strings.Cut(repo, "/")
	is, _, err := c.Issues.Get(t.Context(), owner, name, number)
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := c.Repositories.Get(t.Context(), owner, name)
	if err != nil {
		t.Fatal(err)
	}
	ev := github.IssuesEvent{Action: github.String(action), Issue: is, Repo: r,
		Sender: &github.User{Login: github.String(sender), Type: github.String("User")}, Installation: &github.Installation{ID: github.Int64(inst)}}
	if action == "edited" {
		ev.Changes = &github.EditChange{Body: &github.EditBody{From: github.String(from)}}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pushEvent builds a push payload for branch as the fake has it now.
func pushEvent(t *testing.T, gh *githubtest.Server, inst int64, repo, branch, before, sender string) []byte {
	t.Helper()
	c := client(t, gh, inst)
	owner, name, _ := strings.Cut(repo, "/")
	r, _, err := c.Repositories.Get(t.Context(), owner, name)
	if err != nil {
		t.Fatal(err)
	}
	ev := github.PushEvent{Ref: github.String("refs/heads/" + branch), Before: github.String(before), After: github.String(gh.Ref(owner, name, branch)),
		Repo: &github.PushEventRepository{ID: r.ID, Name: r.Name, FullName: r.FullName, Owner: &github.User{Login: github.String(owner)},
			DefaultBranch: r.DefaultBranch},
		Sender: &github.User{Login: github.String(sender), Type: github.String("User")}, Installation: &github.Installation{ID: github.Int64(inst)}}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// commandStatus reads the recorded status of a comment's command.
func commandStatus(t *testing.T, e *bottest.Env, repo string, comment int64) string {
	t.Helper()
	c, err := e.Server.DB.Command(t.Context(), repo, comment)
	if err != nil {
		t.Fatal(err)
	}
	if c == nil {
		return ""
	}
	return c.Status
}

// jobStates counts jobs of a kind by state.
func jobStates(t *testing.T, e *bottest.Env, kind string) map[string]int {
	t.Helper()
	rows, err := e.Server.DB.Query(t.Context(), `SELECT state, COUNT(*) FROM river_job WHERE kind = ? GROUP BY state`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const goSlimV2 = "FROM golang:1.16-slim\nWORKDIR /src\nCOPY . .\nRUN go build -o server ./cmd/server\nEXPOSE 9090\nCMD [\"./server\"]\n"

// distrolessDone is already a multi-stage build with a distroless final
// image: nothing to change.
const distrolessDone = "FROM golang:1.26-trixie AS build\nWORKDIR /app\nCOPY . .\nENV CGO_ENABLED=0\nRUN go build -o main .\n\nFROM gcr.io/distroless/static-debian13:nonroot\nWORKDIR /app\nCOPY --from=build /app/main /app/main\nEXPOSE 8080\nCMD [\"./main\"]\n"

const rubyApp = "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"ruby\", \"app.rb\"]\n"

// settle waits until distill has no job left, with room for a loaded
// machine (the race detector and parallel packages slow analysis down).
func settle(t *testing.T, e *bottest.Env) {
	t.Helper()
	if err := e.WaitIdle(t.Context(), 3*time.Minute); err != nil {
		t.Fatal(err)
	}
}
