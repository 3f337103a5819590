package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot"
	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
)

// bigOrg creates the organisation "big" with n repositories: `.github`
// (holding the organisation default) and repo-01…repo-(n-1); the first
// withDockerfiles of those get Dockerfiles of four kinds. It returns the
// names of the repositories with Dockerfiles.
func bigOrg(gh *githubtest.Server, n, withDockerfiles int) []string {
	gh.AddRepo(githubtest.Repo{Owner: "big", OwnerType: "Organization", Name: ".github", Files: map[string]string{
		"profile/README.md": "Big\n", ".github/distill.yml": "# organisation default\nimages:\n  debian: 13\n",
	}})
	var with []string
	for i := 1; i < n; i++ {
		name := fmt.Sprintf("repo-%02d", i)
		files := map[string]string{"README.md": name + "\n", "main.go": "package main\n"}
		if i <= withDockerfiles {
			with = append(with, name)
			switch i % 4 {
			case 0:
				files["Dockerfile"] = goSlim
			case 1:
				files["api/Dockerfile"], files["worker/Dockerfile"] = goSlim, goSlimV2
			case 2:
				files["Dockerfile"] = rubyApp
			case 3:
				files["Dockerfile"] = distrolessDone
			}
		}
		gh.AddRepo(githubtest.Repo{Owner: "big", OwnerType: "Organization", Name: name, Files: files})
	}
	return with
}

// reports returns the "distill report" issues of a repository.
func reports(gh *githubtest.Server, owner, repo string) []githubtest.Issue {
	var out []githubtest.Issue
	for _, is := range gh.Issues(owner, repo) {
		if is.Title == "distill report" && is.User == gh.BotLogin() {
			out = append(out, is)
		}
	}
	return out
}

// perRepoCalls counts installation-token API calls by repository.
func perRepoCalls(gh *githubtest.Server, mark int) map[string]int {
	out := map[string]int{}
	for _, r := range gh.Requests()[mark:] {
		if r.Auth != githubtest.AuthToken {
			continue
		}
		if rest, ok := strings.CutPrefix(r.Path, "/repos/"); ok {
			parts := strings.SplitN(rest, "/", 3)
			out[parts[0]+"/"+parts[1]]++
		} else {
			out[r.Path]++
		}
	}
	return out
}

// Installing the App on an organisation with 50 repositories, 20 of them
// with Dockerfiles: one report issue per repository with Dockerfiles
// (except the one that turned onboarding off), nothing for the others, at
// most two API calls per repository without Dockerfiles, and a rate limit
// on the way only delays a repository.
func TestOnboardingFiftyRepositories(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	with := bigOrg(gh, 50, 20)
	// repo-19 has Dockerfiles but turns onboarding off; repo-30 has no
	// Dockerfiles but its own configuration.
	gh.Commit("big", "repo-19", "main", map[string]string{".github/distill.yml": "onboarding: off\n"}, "no report")
	gh.Commit("big", "repo-30", "main", map[string]string{".github/distill.yml": "fail_on: error\n"}, "config")
	inst := gh.AddInstallation(githubtest.Installation{Account: "big"})
	gh.Inject(githubtest.SecondaryRateLimit("/repos/big/repo-05/git/trees/**", time.Second))

	mark := len(gh.Requests())
	start := time.Now()
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	settle(t, e)
	t.Logf("onboarded 50 repositories in %s", time.Since(start).Round(time.Millisecond))

	calls := perRepoCalls(gh, mark)
	withSet := map[string]bool{}
	for _, r := range with {
		withSet[r] = true
	}
	total, withCalls, withoutCalls, nWith, nWithout := 0, 0, 0, 0, 0
	for i := 0; i < 50; i++ {
		name := fmt.Sprintf("repo-%02d", i)
		if i == 0 {
			name = ".github"
		}
		full := "big/" + name
		rs := reports(gh, "big", name)
		switch {
		case withSet[name] && name != "repo-19":
			if len(rs) != 1 {
				t.Errorf("%s: %d reports, want 1", full, len(rs))
			}
			withCalls += calls[full]
			nWith++
		default:
			if len(rs) != 0 {
				t.Errorf("%s: %d reports, want none", full, len(rs))
			}
			if !withSet[name] {
				withoutCalls += calls[full]
				nWithout++
				limit := 2
				if name == ".github" {
					limit = 3 // plus the organisation default, read once for everyone
				}
				if calls[full] > limit {
					t.Errorf("%s has no Dockerfiles and cost %d API calls (limit %d)", full, calls[full], limit)
				}
			}
		}
	}
	for k, v := range calls {
		total += v
		if !strings.HasPrefix(k, "big/") {
			t.Logf("installation-level: %d × %s", v, k)
		}
	}
	t.Logf("API calls: %d in all; %d repositories with a report: %d (%.1f each); %d without Dockerfiles: %d (%.2f each); repo-05 (rate-limited once): %d",
		total, nWith, withCalls, float64(withCalls)/float64(nWith), nWithout, withoutCalls, float64(withoutCalls)/float64(nWithout), calls["big/repo-05"])
	for _, name := range []string{"repo-01", "repo-04", "repo-02", "repo-03", "repo-30", "repo-31"} {
		t.Logf("  %s: %d calls", name, calls["big/"+name])
	}
	if calls["big/repo-31"] != 1 {
		t.Errorf("a repository without Dockerfiles or configuration cost %d calls, want 1 (the tree)", calls["big/repo-31"])
	}
	if total > 200 {
		t.Errorf("onboarding cost %d API calls; budget 200", total)
	}
	if st := jobStates(t, e, "onboard"); st["completed"] != 50 || len(st) != 1 {
		t.Errorf("onboard jobs: %v", st)
	}
	// A rate-limited repository was delayed, not dropped.
	if n := gh.CountRequests(githubtest.Match("GET", "/repos/big/repo-05/git/trees/**")); n != 2 {
		t.Errorf("repo-05's tree was read %d times; want the limited try and one more", n)
	}

	r1 := reports(gh, "big", "repo-01")[0]
	goldenMarkdown(t, "onboarding.report.md", r1.Body, map[string]string{gh.Ref("big", "repo-01", "main"): "MAIN_SHA"})

	// Redelivering the installation event onboards nothing again.
	before := len(gh.Requests())
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	deliver(t, e, "installation", "i-2", gh.InstallationEvent("new_permissions_accepted", inst))
	settle(t, e)
	if after := len(gh.Requests()); after != before {
		t.Errorf("a redelivered installation event made %d requests", after-before)
	}

	// A repository added later is onboarded on its own.
	gh.AddRepo(githubtest.Repo{Owner: "big", OwnerType: "Organization", Name: "late", Files: map[string]string{"Dockerfile": goSlim}})
	mark = len(gh.Requests())
	deliver(t, e, "installation_repositories", "i-3", gh.InstallationRepositoriesEvent("added", inst, "big/late"))
	settle(t, e)
	if len(reports(gh, "big", "late")) != 1 {
		t.Error("the added repository got no report")
	}
	n, by := apiCalls(gh, mark)
	logCalls(t, "onboarding one added repository with one Dockerfile", n, by)
}

// Ticking a box in the report opens that file's follow-up pull request
// against the default branch and links it; a push to the default branch
// updates the same issue; a closed report is left alone.
func TestReportCheckboxAndRescan(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{})
	gh := e.GitHub
	gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: "shop", Files: map[string]string{
		"README.md": "shop\n", "api/Dockerfile": goSlim, "worker/Dockerfile": goSlimV2, "web/Dockerfile": rubyApp,
	}})
	inst := gh.AddInstallation(githubtest.Installation{Account: "acme", Repositories: []string{"acme/shop"}})
	gh.SetPermission("acme", "shop", "alice", "write")
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	settle(t, e)
	rs := reports(gh, "acme", "shop")
	if len(rs) != 1 {
		t.Fatalf("reports = %d", len(rs))
	}
	report := rs[0]
	if !strings.Contains(report.Body, "- [ ] `api/Dockerfile`") || !strings.Contains(report.Body, "- [ ] `worker/Dockerfile`") || strings.Contains(report.Body, "- [ ] `web/Dockerfile`") {
		t.Fatalf("report:\n%s", report.Body)
	}

	// alice ticks api/Dockerfile in GitHub's editor.
	c := client(t, gh, inst)
	ticked := strings.Replace(report.Body, "- [ ] `api/Dockerfile`", "- [x] `api/Dockerfile`", 1)
	if _, _, err := c.Issues.Edit(t.Context(), "acme", "shop", report.Number, &github.IssueRequest{Body: &ticked}); err != nil {
		t.Fatal(err)
	}
	tick := issuesEvent(t, gh, inst, "edited", "acme/shop", report.Number, "alice", report.Body)
	mark := len(gh.Requests())
	deliver(t, e, "issues", "x-1", tick)
	settle(t, e)
	n, by := apiCalls(gh, mark)
	logCalls(t, "a ticked box (one file)", n, by)
	fus := followups(gh, "acme/shop")
	if len(fus) != 1 {
		t.Fatalf("follow-ups = %d", len(fus))
	}
	fu := fus[0]
	if fu.BaseRef != "main" || !strings.HasPrefix(fu.HeadRef, "distill/report-1-api-dockerfile-") || fu.Title != "distill: distroless multi-stage build for api/Dockerfile" {
		t.Errorf("follow-up %s → %s %q", fu.HeadRef, fu.BaseRef, fu.Title)
	}
	files := gh.Files("acme", "shop", fu.HeadRef)
	if !strings.Contains(files["api/Dockerfile"], "distroless") || files["worker/Dockerfile"] != goSlimV2 {
		t.Errorf("the follow-up must convert only api/Dockerfile")
	}
	body := reports(gh, "acme", "shop")[0].Body
	if !strings.Contains(body, "- [x] `api/Dockerfile` — ") || !strings.Contains(body, fmt.Sprintf(" · pull request #%d <!-- distill:file \"api/Dockerfile\" -->", fu.Number)) ||
		!strings.Contains(body, "- [ ] `worker/Dockerfile`") {
		t.Errorf("report after the tick:\n%s", body)
	}
	// The edit distill made is an issues event too; as distill's own, it
	// is ignored.
	ev := issuesEvent(t, gh, inst, "edited", "acme/shop", report.Number, gh.BotLogin(), ticked)
	before := len(gh.Requests())
	deliver(t, e, "issues", "x-2", []byte(strings.Replace(string(ev), `"type":"User"`, `"type":"Bot"`, 1)))
	settle(t, e)
	if after := len(gh.Requests()); after != before {
		t.Errorf("distill's own edit cost %d requests", after-before)
	}

	// A push to main adds a Dockerfile: the same issue is updated, the tick
	// and the link survive.
	old := gh.Ref("acme", "shop", "main")
	gh.Commit("acme", "shop", "main", map[string]string{"batch/Dockerfile": goSlim}, "batch job")
	deliver(t, e, "push", "p-1", pushEvent(t, gh, inst, "acme/shop", "main", old, "alice"))
	settle(t, e)
	rs = reports(gh, "acme", "shop")
	if len(rs) != 1 {
		t.Fatalf("reports after the push = %d, want the same one", len(rs))
	}
	body = rs[0].Body
	if !strings.Contains(body, "- [ ] `batch/Dockerfile`") || !strings.Contains(body, fmt.Sprintf("· pull request #%d", fu.Number)) || !strings.Contains(body, gh.Ref("acme", "shop", "main")[:7]) {
		t.Errorf("report after the push:\n%s", body)
	}
	// Pushes to other branches do nothing.
	gh.Commit("acme", "shop", "topic", map[string]string{"x/Dockerfile": goSlim}, "topic")
	topic := pushEvent(t, gh, inst, "acme/shop", "topic", old, "alice")
	before = len(gh.Requests())
	deliver(t, e, "push", "p-2", topic)
	settle(t, e)
	if after := len(gh.Requests()); after != before {
		t.Errorf("a push to another branch cost %d requests", after-before)
	}

	// Closed by someone: not updated any more.
	if _, _, err := c.Issues.Edit(t.Context(), "acme", "shop", report.Number, &github.IssueRequest{State: github.String("closed")}); err != nil {
		t.Fatal(err)
	}
	deliver(t, e, "issues", "x-3", issuesEvent(t, gh, inst, "closed", "acme/shop", report.Number, "alice", ""))
	old = gh.Ref("acme", "shop", "main")
	gh.Commit("acme", "shop", "main", map[string]string{"cron/Dockerfile": goSlim}, "cron")
	deliver(t, e, "push", "p-3", pushEvent(t, gh, inst, "acme/shop", "main", old, "alice"))
	settle(t, e)
	if strings.Contains(reports(gh, "acme", "shop")[0].Body, "cron/Dockerfile") {
		t.Error("a closed report was updated")
	}
}

// Uninstalling while onboarding is under way cancels the jobs still
// pending; those that start anyway see the installation is gone.
func TestUninstallMidOnboarding(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{Configure: func(c *bot.Config) {
		c.MutationPause = 50 * time.Millisecond // onboarding spacing: 400 ms per repository
	}})
	gh := e.GitHub
	bigOrg(gh, 50, 10)
	inst := gh.AddInstallation(githubtest.Installation{Account: "big"})
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	trees := githubtest.Match("GET", "/repos/big/*/git/trees/**")
	waitFor(t, "three repositories scanned", func() bool { return gh.CountRequests(trees) >= 3 })
	deliver(t, e, "installation", "i-2", gh.InstallationEvent("deleted", inst))
	settle(t, e)
	scanned := gh.CountRequests(trees)
	st := jobStates(t, e, "onboard")
	t.Logf("scanned %d of 50 repositories before the uninstall; onboard jobs: %v", scanned, st)
	if scanned >= 25 {
		t.Errorf("%d repositories scanned after an uninstall early in onboarding", scanned)
	}
	if st["cancelled"] < 50-scanned-2 || st["cancelled"]+st["completed"] != 50 {
		t.Errorf("onboard jobs %v: the pending ones must be cancelled", st)
	}
	in, err := e.Server.DB.GetInstallation(t.Context(), inst)
	if err != nil || in == nil || !in.Deleted {
		t.Errorf("installation record %+v, %v", in, err)
	}
	repos, _ := e.Server.DB.InstallationRepos(t.Context(), inst)
	if len(repos) != 0 {
		t.Errorf("%d repositories still recorded", len(repos))
	}
}

// Suspending the installation mid-onboarding cancels the pending scans;
// unsuspending resumes them, so no repository is dropped, and none gets a
// second report.
func TestSuspendResumesOnboarding(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{Configure: func(c *bot.Config) { c.MutationPause = 50 * time.Millisecond }})
	gh := e.GitHub
	with := bigOrg(gh, 20, 10)
	inst := gh.AddInstallation(githubtest.Installation{Account: "big"})
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	trees := githubtest.Match("GET", "/repos/big/*/git/trees/**")
	waitFor(t, "two repositories scanned", func() bool { return gh.CountRequests(trees) >= 2 })
	deliver(t, e, "installation", "i-2", gh.InstallationEvent("suspend", inst))
	settle(t, e)
	st := jobStates(t, e, "onboard")
	if st["cancelled"] == 0 {
		t.Fatalf("onboard jobs after the suspension: %v", st)
	}
	deliver(t, e, "installation", "i-3", gh.InstallationEvent("unsuspend", inst))
	settle(t, e)
	for _, name := range with {
		if got := len(reports(gh, "big", name)); got != 1 {
			t.Errorf("big/%s: %d reports after unsuspend, want 1", name, got)
		}
	}
	t.Logf("onboard jobs: %v", jobStates(t, e, "onboard"))
}

// Removing a repository from a "selected" installation cancels its pending
// scan only.
func TestRemovedRepositoryCancelsItsOnboarding(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{Configure: func(c *bot.Config) { c.MutationPause = 250 * time.Millisecond }})
	gh := e.GitHub
	for _, name := range []string{"repo-01", "repo-02", "repo-03", "repo-04", "repo-05"} {
		gh.AddRepo(githubtest.Repo{Owner: "big", OwnerType: "Organization", Name: name, Files: map[string]string{"Dockerfile": goSlim}})
	}
	inst := gh.AddInstallation(githubtest.Installation{Account: "big", Repositories: []string{"big/repo-01", "big/repo-02", "big/repo-03", "big/repo-04", "big/repo-05"}})
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	waitFor(t, "repo-01 scanned", func() bool { return len(reports(gh, "big", "repo-01")) == 1 })
	deliver(t, e, "installation_repositories", "i-2", gh.InstallationRepositoriesEvent("removed", inst, "big/repo-05"))
	settle(t, e)
	if n := gh.CountRequests(githubtest.Match("", "/repos/big/repo-05/**")); n != 0 {
		t.Errorf("the removed repository cost %d API calls", n)
	}
	for _, name := range []string{"repo-02", "repo-03", "repo-04"} {
		if len(reports(gh, "big", name)) != 1 {
			t.Errorf("big/%s was not onboarded", name)
		}
	}
	if st := jobStates(t, e, "onboard"); st["cancelled"] != 1 || st["completed"] != 4 {
		t.Errorf("onboard jobs %v", st)
	}
}

// A 1,000-repository installation: the scans are spread eight mutation
// pauses apart (8 s with the default 1 s pause, so at most 450 report
// issues an hour against GitHub's ~500 content-creating requests), the
// preparation costs one call per 100 repositories plus the organisation
// default, and uninstalling cancels everything still pending.
func TestThousandRepositoryInstallationIsSpread(t *testing.T) {
	t.Parallel()
	e := startEnv(t, bottest.Options{Configure: func(c *bot.Config) { c.MutationPause = time.Second }})
	gh := e.GitHub
	for i := 0; i < 1000; i++ {
		gh.AddRepo(githubtest.Repo{Owner: "huge", OwnerType: "Organization", Name: fmt.Sprintf("svc-%04d", i), Files: map[string]string{"README.md": "x\n"}})
	}
	inst := gh.AddInstallation(githubtest.Installation{Account: "huge"})
	mark := len(gh.Requests())
	t0 := time.Now()
	deliver(t, e, "installation", "i-1", gh.InstallationEvent("created", inst))
	t.Logf("delivered after %s", time.Since(t0))
	waitFor(t, "the onboarding to be prepared", func() bool { return jobStates(t, e, "onboard_installation")["completed"] == 1 })
	t.Logf("prepared after %s", time.Since(t0))
	res, err := e.Server.Queue.JobList(t.Context(), river.NewJobListParams().Kinds("onboard").First(2000))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 1000 {
		t.Fatalf("%d onboard jobs, want 1000", len(res.Jobs))
	}
	first, last := res.Jobs[0].ScheduledAt, res.Jobs[0].ScheduledAt
	for _, j := range res.Jobs {
		if j.ScheduledAt.Before(first) {
			first = j.ScheduledAt
		}
		if j.ScheduledAt.After(last) {
			last = j.ScheduledAt
		}
		if j.Priority != 4 {
			t.Fatalf("onboard job priority %d, want 4 (lowest)", j.Priority)
		}
	}
	span := last.Sub(first)
	if span < 999*8*time.Second-time.Second || span > 999*8*time.Second+time.Minute {
		t.Errorf("jobs spread over %s, want 999 × 8 s", span)
	}
	perHour := float64(len(res.Jobs)) / span.Hours()
	t.Logf("1,000 repositories spread over %s: %.0f scans (so at most %.0f report issues) an hour", span.Round(time.Minute), perHour, perHour)
	calls, by := apiCalls(gh, mark)
	logCalls(t, "preparing the onboarding of 1,000 repositories (plus the first scans)", calls, by)
	if n := by["GET /installation/repositories"]; n != 10 {
		t.Errorf("listed the repositories in %d calls, want 10", n)
	}
	t1 := time.Now()
	deliver(t, e, "installation", "i-2", gh.InstallationEvent("deleted", inst))
	settle(t, e)
	t.Logf("uninstalled in %s", time.Since(t1))
	st := jobStates(t, e, "onboard")
	if st["cancelled"] < 990 {
		t.Errorf("after uninstalling: %v", st)
	}
	t.Logf("after uninstalling: %v", st)
}
