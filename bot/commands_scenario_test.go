package bot_test

import (
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
	"github.com/distill-bot/distill/bot/store"
)

// Who may run a command: a reader is refused politely and nothing happens;
// bots, distill included, are never heard; the configured permission is
// compared with the real role (maintain, triage), not GitHub's legacy
// permission that folds them into write and read.
func TestCommandPermissions(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	_, n := shop(t, gh, map[string]string{"README.md": "shop\n"}, map[string]string{"api/Dockerfile": goSlim})
	gh.SetPermission("acme", "shop", "rita", "read")
	gh.SetPermission("acme", "shop", "tom", "triage")

	mark := len(gh.Requests())
	rita := say(t, e, "acme/shop", n, "rita", "/optimize")
	settle(t, e)
	calls, by := apiCalls(gh, mark)
	logCalls(t, "/optimize by a reader (refused)", calls, by)
	replies := botComments(gh, "acme/shop", n)
	if len(replies) != 1 || !strings.HasPrefix(replies[0].Body, "Sorry @rita, `/optimize [path…]` needs the **write** permission on this repository, and you have **read**.") {
		t.Fatalf("replies: %+v", replies)
	}
	if r := reactions(gh, "acme/shop", rita); strings.Join(r, ",") != "confused" {
		t.Errorf("reactions = %v, want confused only", r)
	}
	if len(followups(gh, "acme/shop")) != 0 || gh.CountRequests(githubtest.Match("POST", "/repos/acme/shop/git/**")) != 0 {
		t.Error("a refused command did work")
	}
	if s := commandStatus(t, e, "acme/shop", rita); s != store.CommandRefused {
		t.Errorf("status %q", s)
	}

	// Triage is below write.
	tom := say(t, e, "acme/shop", n, "tom", "/distill recheck")
	settle(t, e)
	if r := reactions(gh, "acme/shop", tom); strings.Join(r, ",") != "confused" {
		t.Errorf("triage user's reactions = %v", r)
	}

	// Bots, and distill itself, are never commands.
	before := len(gh.Requests())
	botID := gh.AddIssueComment("acme", "shop", n, "renovate[bot]", "/optimize")
	deliver(t, e, "issue_comment", "c-bot", gh.IssueCommentEvent("created", "acme", "shop", botID))
	selfID := gh.AddIssueComment("acme", "shop", n, gh.BotLogin(), "/optimize")
	deliver(t, e, "issue_comment", "c-self", gh.IssueCommentEvent("created", "acme", "shop", selfID))
	settle(t, e)
	if after := len(gh.Requests()); after != before {
		t.Errorf("bot comments cost %d API calls", after-before)
	}
	if len(reactions(gh, "acme/shop", botID))+len(reactions(gh, "acme/shop", selfID)) != 0 {
		t.Error("distill reacted to a bot")
	}
	if st := jobStates(t, e, "command"); st["completed"] != 2 || len(st) != 1 {
		t.Errorf("command jobs %v: bot comments must not become jobs", st)
	}
}

// commands.permission: triage lets triagers run /optimize, and maintain
// keeps writers out; help and explain are for everyone.
func TestCommandPermissionFromConfig(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	_, n := shop(t, gh, map[string]string{"README.md": "shop\n", ".github/distill.yml": "commands:\n  permission: maintain\n"}, map[string]string{"api/Dockerfile": goSlim})
	gh.SetPermission("acme", "shop", "wendy", "write")
	gh.SetPermission("acme", "shop", "max", "maintain")
	gh.SetPermission("acme", "shop", "rita", "read")
	wendy := say(t, e, "acme/shop", n, "wendy", "/optimize")
	settle(t, e)
	if r := reactions(gh, "acme/shop", wendy); strings.Join(r, ",") != "confused" {
		t.Errorf("writer under commands.permission: maintain got %v", r)
	}
	max := say(t, e, "acme/shop", n, "max", "/optimize")
	settle(t, e)
	if r := reactions(gh, "acme/shop", max); strings.Join(r, ",") != "eyes,rocket" {
		t.Errorf("maintainer got %v", r)
	}
	if len(followups(gh, "acme/shop")) != 1 {
		t.Error("the maintainer's /optimize opened no pull request")
	}
	help := say(t, e, "acme/shop", n, "rita", "/distill help")
	settle(t, e)
	replies := botComments(gh, "acme/shop", n)
	if last := replies[len(replies)-1].Body; !strings.Contains(last, "need the **maintain** permission") || !strings.Contains(last, "| `/distill explain <Rule>` |") {
		t.Errorf("help reply:\n%s", last)
	}
	if r := reactions(gh, "acme/shop", help); strings.Join(r, ",") != "eyes,rocket" {
		t.Errorf("help reactions = %v", r)
	}
}

// commands.enabled: false turns commands off with one explanation.
func TestCommandsDisabled(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	_, n := shop(t, gh, map[string]string{".github/distill.yml": "commands:\n  enabled: false\n"}, map[string]string{"api/Dockerfile": goSlim})
	gh.SetPermission("acme", "shop", "alice", "admin")
	cid := say(t, e, "acme/shop", n, "alice", "/optimize")
	settle(t, e)
	replies := botComments(gh, "acme/shop", n)
	if len(replies) != 1 || !strings.Contains(replies[0].Body, "`commands.enabled: false`") {
		t.Errorf("replies: %+v", replies)
	}
	if r := reactions(gh, "acme/shop", cid); strings.Join(r, ",") != "confused" || len(followups(gh, "acme/shop")) != 0 {
		t.Errorf("reactions %v", r)
	}
}

// An edited comment runs its command only if that comment's command has
// not run yet: adding /optimize to a comment runs it, editing it again
// does not, and a usage error fixed by an edit runs the fixed command.
func TestEditedComment(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	inst, n := shop(t, gh, map[string]string{"README.md": "shop\n"}, map[string]string{"api/Dockerfile": goSlim})
	gh.SetPermission("acme", "shop", "alice", "write")
	c := client(t, gh, inst)
	edit := func(id int64, body, delivery string) {
		t.Helper()
		prev := ""
		for _, cm := range gh.IssueComments("acme", "shop", n) {
			if cm.ID == id {
				prev = cm.Body
			}
		}
		if _, _, err := c.Issues.EditComment(t.Context(), "acme", "shop", id, &github.IssueComment{Body: &body}); err != nil {
			t.Fatal(err)
		}
		deliver(t, e, "issue_comment", delivery, gh.IssueCommentEvent("edited", "acme", "shop", id, prev))
		settle(t, e)
	}

	cid := say(t, e, "acme/shop", n, "alice", "Looks good.")
	settle(t, e)
	if st := jobStates(t, e, "command"); len(st) != 0 {
		t.Fatalf("a comment without a command became a job: %v", st)
	}
	edit(cid, "Looks good.\n/optimize", "e-1")
	if fus := followups(gh, "acme/shop"); len(fus) != 1 {
		t.Fatalf("the edit that added /optimize did not run it: %d follow-ups", len(fus))
	}
	commits := gh.CountRequests(githubtest.Match("POST", "/repos/acme/shop/git/commits"))
	replies := len(botComments(gh, "acme/shop", n))
	edit(cid, "Looks good!\n/optimize api/Dockerfile", "e-2")
	edit(cid, "Looks good!\n/optimize api/Dockerfile", "e-2") // a redelivery
	if got := gh.CountRequests(githubtest.Match("POST", "/repos/acme/shop/git/commits")); got != commits {
		t.Errorf("editing a comment whose command ran made %d commits", got-commits)
	}
	if got := len(botComments(gh, "acme/shop", n)); got != replies {
		t.Errorf("editing a comment whose command ran added %d replies", got-replies)
	}

	// A typo gets a did-you-mean; fixing it by an edit runs the command.
	typo := say(t, e, "acme/shop", n, "alice", "/distill explian RunsAsRoot")
	settle(t, e)
	last := botComments(gh, "acme/shop", n)
	if body := last[len(last)-1].Body; !strings.Contains(body, "distill has no command `/distill explian`. Did you mean `/distill explain <Rule>`?") {
		t.Errorf("typo reply:\n%s", body)
	}
	if r := reactions(gh, "acme/shop", typo); strings.Join(r, ",") != "confused" {
		t.Errorf("typo reactions %v", r)
	}
	edit(typo, "/distill explain RunsAsRoot", "e-3")
	last = botComments(gh, "acme/shop", n)
	if body := last[len(last)-1].Body; !strings.HasPrefix(body, "### RunsAsRoot\n\nwarning · ") {
		t.Errorf("explain after the fix:\n%s", body)
	}
	if s := commandStatus(t, e, "acme/shop", typo); s != store.CommandDone {
		t.Errorf("status %q", s)
	}
}

// explain, help and a misspelled rule; recheck redoes the check run.
func TestExplainHelpRecheck(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	_, n := shop(t, gh, map[string]string{"README.md": "shop\n"}, map[string]string{"api/Dockerfile": goSlim})
	gh.SetPermission("acme", "shop", "alice", "write")
	deliver(t, e, "pull_request", "d-open", gh.PullRequestEvent("opened", "acme", "shop", n))
	settle(t, e)
	head := gh.Ref("acme", "shop", "feature")

	say(t, e, "acme/shop", n, "rita", "/distill explain RunAsRoot")
	settle(t, e)
	replies := botComments(gh, "acme/shop", n)
	if last := replies[len(replies)-1].Body; !strings.HasPrefix(last, "distill has no rule `RunAsRoot`. Did you mean `RunsAsRoot`") {
		t.Errorf("misspelled rule:\n%s", last)
	}
	say(t, e, "acme/shop", n, "rita", "/distill")
	settle(t, e)
	replies = botComments(gh, "acme/shop", n)
	if last := replies[len(replies)-1].Body; !strings.HasPrefix(last, "**distill commands**") {
		t.Errorf("bare /distill:\n%s", last)
	}
	say(t, e, "acme/shop", n, "rita", "/optimise")
	settle(t, e)
	replies = botComments(gh, "acme/shop", n)
	if last := replies[len(replies)-1].Body; !strings.HasPrefix(last, "`/optimise` is not a distill command. Did you mean `/optimize`?") {
		t.Errorf("near miss:\n%s", last)
	}

	runs := len(gh.CheckRuns("acme", "shop", head))
	cid := say(t, e, "acme/shop", n, "alice", "/distill recheck")
	settle(t, e)
	if got := len(gh.CheckRuns("acme", "shop", head)); got != runs+1 {
		t.Errorf("check runs %d → %d; recheck redoes it", runs, got)
	}
	if len(gh.Reviews("acme", "shop", n)) != 1 {
		t.Error("recheck posted a second review of the same head")
	}
	replies = botComments(gh, "acme/shop", n)
	if last := replies[len(replies)-1].Body; !strings.HasPrefix(last, "distill is reviewing "+head[:7]+" again") {
		t.Errorf("recheck reply:\n%s", last)
	}
	if r := reactions(gh, "acme/shop", cid); strings.Join(r, ",") != "eyes,rocket" {
		t.Errorf("recheck reactions %v", r)
	}
}
