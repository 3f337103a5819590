package bot_test

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
)

// The organisation default in acme/.github applies to repositories without
// their own file; a repository file replaces it, or extends it with
// `_extends: .github` (shallow merge: its keys win).
func TestOrgDefaultAndRepoOverride(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: ".github", Files: map[string]string{
		".github/distill.yml": "# acme's defaults\nmode: pr\ncommands:\n  permission: admin\n",
	}})
	repos := map[string]string{
		"inherits": "",                                                    // org default: mode pr, admin
		"extends":  "_extends: .github\ncommands:\n  permission: write\n", // mode pr, write
		"replaces": "mode: review\n",                                      // defaults: review, write
		"broken":   "mode: pr\nmdoe: review\n",                            // a typo
	}
	prs := map[string]int{}
	for name, cfg := range repos {
		files := map[string]string{"README.md": name + "\n"}
		if cfg != "" {
			files[".github/distill.yml"] = cfg
		}
		gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: name, Files: files})
		gh.Commit("acme", name, "feature", map[string]string{"Dockerfile": goSlim}, "Dockerfile")
		prs[name] = gh.OpenPR(githubtest.PR{Owner: "acme", Repo: name, Head: "feature", Author: "alice"})
		gh.SetPermission("acme", name, "alice", "write")
	}
	gh.AddInstallation(githubtest.Installation{Account: "acme"})
	for name, n := range prs {
		deliver(t, e, "pull_request", "d-"+name, gh.PullRequestEvent("opened", "acme", name, n))
	}
	settle(t, e)

	if got := len(followups(gh, "acme/inherits")); got != 1 {
		t.Errorf("acme/inherits (org default mode: pr): %d follow-ups, want 1", got)
	}
	if got := len(followups(gh, "acme/extends")); got != 1 {
		t.Errorf("acme/extends (_extends: .github): %d follow-ups, want 1", got)
	}
	if got := len(followups(gh, "acme/replaces")); got != 0 {
		t.Errorf("acme/replaces (own file, no _extends): %d follow-ups, want 0", got)
	}
	for _, name := range []string{"inherits", "extends", "replaces"} {
		if len(gh.Reviews("acme", name, prs[name])) != 1 {
			t.Errorf("acme/%s was not reviewed", name)
		}
	}
	// The broken repository is the only one affected.
	if len(gh.Reviews("acme", "broken", prs["broken"])) != 0 {
		t.Error("a repository with a broken configuration was reviewed")
	}

	// Permissions: admin from the org default, write where overridden.
	in := say(t, e, "acme/inherits", prs["inherits"], "alice", "/distill recheck")
	ex := say(t, e, "acme/extends", prs["extends"], "alice", "/distill recheck")
	settle(t, e)
	if r := reactions(gh, "acme/inherits", in); strings.Join(r, ",") != "confused" {
		t.Errorf("writer under the org default (admin): %v", r)
	}
	if r := reactions(gh, "acme/extends", ex); strings.Join(r, ",") != "eyes,rocket" {
		t.Errorf("writer where the repository extends with permission: write: %v", r)
	}
}

// A broken configuration fails the check run with the error (file, line,
// column) and explains it in one comment per pull request, edited on later
// pushes and marked resolved once fixed; commands say why they did
// nothing; the rest of the organisation is reviewed as usual.
func TestBrokenConfigOneCommentPerPR(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	inst, n := shop(t, gh, map[string]string{"README.md": "shop\n", ".github/distill.yml": "mode: review\nimages:\n  debian: eleven\n"}, map[string]string{"api/Dockerfile": goSlim})
	gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: "other", Files: map[string]string{"README.md": "x\n"}})
	gh.Commit("acme", "other", "feature", map[string]string{"Dockerfile": goSlim}, "Dockerfile")
	other := gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "other", Head: "feature", Author: "alice"})
	gh.SetPermission("acme", "shop", "alice", "write")
	_ = inst

	deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	deliver(t, e, "pull_request", "d-other", gh.PullRequestEvent("opened", "acme", "other", other))
	settle(t, e)
	head1 := gh.Ref("acme", "shop", "feature")
	runs := gh.CheckRuns("acme", "shop", head1)
	if len(runs) != 1 || runs[0].Conclusion != "failure" || runs[0].Title != "Broken distill configuration" || !strings.Contains(runs[0].Summary, "acme/shop:.github/distill.yml:3:") {
		t.Fatalf("check runs: %+v", runs)
	}
	comments := botComments(gh, "acme/shop", n)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "acme/shop:.github/distill.yml:3:") {
		t.Fatalf("comments: %+v", comments)
	}
	if len(gh.Reviews("acme", "other", other)) != 1 {
		t.Error("acme/other was not reviewed while acme/shop's configuration is broken")
	}

	// A push: a new failed check run, the same comment edited.
	head2 := gh.Push("acme", "shop", n, map[string]string{"api/Dockerfile": goSlimV2}, "v2")
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("synchronize", "acme", "shop", n))
	deliver(t, e, "pull_request", "d-2", gh.PullRequestEvent("synchronize", "acme", "shop", n)) // redelivered
	settle(t, e)
	comments = botComments(gh, "acme/shop", n)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "_Checked at "+head2+"._") {
		t.Fatalf("after a push: %+v", comments)
	}
	if runs := gh.CheckRuns("acme", "shop", head2); len(runs) != 1 || runs[0].Conclusion != "failure" {
		t.Errorf("check runs at the new head: %+v", runs)
	}

	// Commands say why they do nothing.
	cid := say(t, e, "acme/shop", n, "alice", "/optimize")
	settle(t, e)
	replies := botComments(gh, "acme/shop", n)
	if last := replies[len(replies)-1].Body; !strings.HasPrefix(last, "distill's configuration is broken, so it did nothing:") || !strings.Contains(last, ".github/distill.yml:3:") {
		t.Errorf("command reply:\n%s", last)
	}
	if r := reactions(gh, "acme/shop", cid); strings.Join(r, ",") != "confused" {
		t.Errorf("reactions %v", r)
	}

	// Fixed on main, then a push: reviewed, and the comment says so.
	gh.Commit("acme", "shop", "main", map[string]string{".github/distill.yml": "mode: review\nimages:\n  debian: 13\n"}, "fix distill.yml")
	gh.Push("acme", "shop", n, map[string]string{"api/Dockerfile": goSlim}, "v3")
	deliver(t, e, "pull_request", "d-3", gh.PullRequestEvent("synchronize", "acme", "shop", n))
	settle(t, e)
	if len(gh.Reviews("acme", "shop", n)) != 1 {
		t.Fatal("not reviewed after the fix")
	}
	for _, c := range botComments(gh, "acme/shop", n) {
		if c.ID == comments[0].ID && !strings.HasPrefix(c.Body, "distill's configuration works again") {
			t.Errorf("the configuration comment was not resolved:\n%s", c.Body)
		}
	}
}
