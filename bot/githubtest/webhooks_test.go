package githubtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/distill-bot/distill/bot/githubtest/hook"
	"github.com/google/go-github/v62/github"
)

func TestWebhookPayloadsMatchState(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	n := w.openDockerfilePR(t)
	head := w.srv.Push("acme", "widgets", n, map[string]string{"README.md": "x\n"}, "more")

	ev, err := github.ParseWebHook("pull_request", w.srv.PullRequestEvent("synchronize", "acme", "widgets", n))
	if err != nil {
		t.Fatal(err)
	}
	pe := ev.(*github.PullRequestEvent)
	if pe.GetAction() != "synchronize" || pe.GetNumber() != n || pe.GetAfter() != head ||
		pe.GetBefore() == "" || pe.GetBefore() == head ||
		pe.GetPullRequest().GetHead().GetSHA() != head || pe.GetRepo().GetFullName() != "acme/widgets" ||
		pe.GetInstallation().GetID() != w.inst || pe.GetSender().GetLogin() != "alice" || pe.GetOrganization().GetLogin() != "acme" {
		t.Errorf("pull_request event = action %s number %d after %s head %s repo %s inst %d sender %s",
			pe.GetAction(), pe.GetNumber(), pe.GetAfter(), pe.GetPullRequest().GetHead().GetSHA(), pe.GetRepo().GetFullName(), pe.GetInstallation().GetID(), pe.GetSender().GetLogin())
	}
	id := w.srv.AddIssueComment("acme", "widgets", n, "alice", "/optimize")
	ev, err = github.ParseWebHook("issue_comment", w.srv.IssueCommentEvent("created", "acme", "widgets", id))
	if err != nil {
		t.Fatal(err)
	}
	ce := ev.(*github.IssueCommentEvent)
	if ce.GetComment().GetID() != id || ce.GetComment().GetBody() != "/optimize" || !ce.GetIssue().IsPullRequest() ||
		ce.GetIssue().GetNumber() != n || ce.GetInstallation().GetID() != w.inst || ce.GetSender().GetLogin() != "alice" {
		t.Errorf("issue_comment event = %+v", ce)
	}
	ev, _ = github.ParseWebHook("issue_comment", w.srv.IssueCommentEvent("edited", "acme", "widgets", id, "/optimise"))
	if ce := ev.(*github.IssueCommentEvent); ce.GetChanges().GetBody().GetFrom() != "/optimise" {
		t.Errorf("edited changes = %+v", ce.GetChanges())
	}
	ev, _ = github.ParseWebHook("installation", w.srv.InstallationEvent("created", w.inst))
	if ie := ev.(*github.InstallationEvent); ie.GetInstallation().GetID() != w.inst || len(ie.Repositories) != 1 || ie.Repositories[0].GetFullName() != "acme/widgets" {
		t.Errorf("installation event = %+v", ie)
	}
	ev, _ = github.ParseWebHook("installation_repositories", w.srv.InstallationRepositoriesEvent("added", w.inst, "acme/widgets"))
	if ir := ev.(*github.InstallationRepositoriesEvent); len(ir.RepositoriesAdded) != 1 || ir.GetRepositorySelection() != "selected" {
		t.Errorf("installation_repositories event = %+v", ir)
	}
	ev, _ = github.ParseWebHook("check_suite", w.srv.CheckSuiteEvent("rerequested", "acme", "widgets", head))
	if cs := ev.(*github.CheckSuiteEvent); cs.GetCheckSuite().GetHeadSHA() != head || len(cs.GetCheckSuite().PullRequests) != 1 || cs.GetCheckSuite().GetHeadBranch() != "feature" {
		t.Errorf("check_suite event = %+v", cs.GetCheckSuite())
	}
	var ping struct {
		Hook struct {
			AppID int64 `json:"app_id"`
		} `json:"hook"`
	}
	if err := json.Unmarshal(w.srv.PingEvent(), &ping); err != nil || ping.Hook.AppID != w.srv.AppID() {
		t.Errorf("ping app id = %d, %v", ping.Hook.AppID, err)
	}
}

func TestDeliverFakePayload(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	n := w.openDockerfilePR(t)
	payload := w.srv.PullRequestEvent("opened", "acme", "widgets", n)
	got := make(chan error, 1)
	bot := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := github.ValidatePayload(r, []byte("hush"))
		if err == nil {
			_, err = github.ParseWebHook(github.WebHookType(r), body)
		}
		got <- err
		rw.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(bot.Close)
	resp, err := hook.Deliver(t.Context(), bot.URL, "hush", "pull_request", "72d3162e-cc78-11e3-81ab-4c9367dc0958", payload)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := <-got; err != nil || resp.StatusCode != http.StatusAccepted {
		t.Errorf("delivery: %d %v", resp.StatusCode, err)
	}
}
