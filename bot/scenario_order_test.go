package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/bot/bottest"
)

// GitHub does not deliver webhooks in order. A late "opened" for a head
// that was pushed over must not bring it back for review.
func TestLateEventForOldHeadIsIgnored(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	opened := gh.PullRequestEvent("opened", "acme", "shop", n)
	gh.Advance(time.Minute)
	gh.Push("acme", "shop", n, map[string]string{"Dockerfile": strings.Replace(goSlim, "8080", "9090", 1)}, "second")
	head := gh.PullRequests("acme", "shop")[0].HeadSHA

	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("synchronize", "acme", "shop", n))
	waitIdle(t, e)
	deliver(t, e, "pull_request", "d-1", opened)
	waitIdle(t, e)
	reviews := gh.Reviews("acme", "shop", n)
	if len(reviews) != 1 || reviews[0].CommitID != head {
		for _, r := range reviews {
			t.Logf("review on %s", r.CommitID)
		}
		t.Errorf("reviews = %d, want 1 on the newest head %s", len(reviews), head)
	}
}

// A "synchronize" that arrives after "closed" must not review a closed
// pull request.
func TestLateSynchronizeAfterCloseIsIgnored(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	sync := gh.PullRequestEvent("synchronize", "acme", "shop", n)
	gh.Advance(time.Minute)
	gh.Push("acme", "shop", n, map[string]string{"README.md": "y\n"}, "touch") // bumps updated_at
	deliver(t, e, "pull_request", "d-close", gh.PullRequestEvent("closed", "acme", "shop", n))
	waitIdle(t, e)
	deliver(t, e, "pull_request", "d-sync", sync)
	waitIdle(t, e)
	if got := len(gh.Reviews("acme", "shop", n)); got != 0 {
		t.Errorf("a closed pull request got %d reviews", got)
	}
}

// The prune job deletes deliveries and closed pull requests' state past
// the retention period; it runs when distill starts and every 6 hours.
func TestPruneOnStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := startEnv(t, bottest.Options{Dir: dir})
	gh := e.GitHub
	n := sampleRepo(t, gh, map[string]string{"README.md": "x\n"}, map[string]string{"Dockerfile": goSlim})
	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	waitIdle(t, e)
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("closed", "acme", "shop", n))
	waitIdle(t, e)
	ctx := context.Background()
	count := func(e *bottest.Env, table string) int {
		var c int
		if err := e.Server.DB.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if count(e, "distill_reviews") != 1 || count(e, "distill_findings") == 0 || count(e, "distill_deliveries") != 2 {
		t.Fatal("the review was not recorded")
	}
	old := time.Now().Add(-40 * 24 * time.Hour).Unix()
	for _, q := range []string{`UPDATE distill_pr_heads SET updated_at = ?`, `UPDATE distill_deliveries SET received_at = ? WHERE delivery_id = 'd-1'`} {
		if _, err := e.Server.DB.Exec(ctx, q, old); err != nil {
			t.Fatal(err)
		}
	}
	e.Close()

	e2, err := bottest.Start(ctx, bottest.Options{Dir: dir, GitHub: gh})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { e2.Close(); os.RemoveAll(dir) }()
	deadline := time.Now().Add(30 * time.Second)
	for count(e2, "distill_pr_heads") != 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for table, want := range map[string]int{"distill_pr_heads": 0, "distill_reviews": 0, "distill_findings": 0, "distill_deliveries": 1} {
		if got := count(e2, table); got != want {
			t.Errorf("%s has %d rows after pruning, want %d", table, got, want)
		}
	}
}
