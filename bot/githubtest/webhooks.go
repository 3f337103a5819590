package githubtest

import (
	"encoding/json"
	"fmt"
	"strings"

	ghfixtures "github.com/distill-bot/distill/testdata/github"
)

// Webhook payload builders. Each starts from a real payload in testdata/github/webhooks and overlays the
// fake's current state (repository, pull request, comment, sender, installation) on it, so the payload
// has every field GitHub sends and the values the REST API will confirm. Fields the fake does not model
// keep the fixture's values.

// overlay merges src into dst: objects present in both are merged key by key, anything else in src
// replaces dst's value.
func overlay(dst, src map[string]any) {
	for k, v := range src {
		if sv, ok := v.(map[string]any); ok {
			if dv, ok := dst[k].(map[string]any); ok {
				overlay(dv, sv)
				continue
			}
		}
		dst[k] = v
	}
}

// normalize turns rendered values into plain JSON values so overlay sees map[string]any everywhere.
func normalize(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return out, nil
}

func (s *Server) buildEvent(fixture string, over obj) []byte {
	var base map[string]any
	if err := json.Unmarshal(ghfixtures.MustRead("webhooks/"+fixture), &base); err != nil {
		s.fatalf("fixture %s: %v", fixture, err)
		return nil
	}
	o, err := normalize(over)
	if err != nil {
		s.fatalf("webhook %s: %v", fixture, err)
		return nil
	}
	overlay(base, o)
	b, err := json.Marshal(base)
	if err != nil {
		s.fatalf("webhook %s: %v", fixture, err)
		return nil
	}
	return b
}

func (s *Server) installationFor(r *repository) obj {
	for _, in := range s.sortedInstallations() {
		if in.covers(r) {
			return obj{"id": in.ID, "node_id": nodeID("IntegrationInstallation", in.ID)}
		}
	}
	return nil
}

var pullFixtures = map[string]string{
	"opened":           "pull_request.opened.payload.json",
	"synchronize":      "pull_request.synchronize.payload.json",
	"reopened":         "pull_request.reopened.payload.json",
	"closed":           "pull_request.closed.payload.json",
	"ready_for_review": "pull_request.ready_for_review.with-installation.payload.json",
}

// PullRequestEvent builds a pull_request payload (opened, synchronize, reopened, closed,
// ready_for_review, edited) for PR number as the fake has it now. For synchronize, "before" is the
// first parent of the head commit and "after" the head.
func (s *Server) PullRequestEvent(action, owner, repo string, number int) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return nil
	}
	pr, ok := r.pulls[number]
	if !ok {
		s.fatalf("PullRequestEvent: %s/%s has no pull request #%d", owner, repo, number)
		return nil
	}
	fixture, ok := pullFixtures[action]
	if !ok {
		fixture = pullFixtures["opened"]
	}
	over := obj{
		"action": action, "number": number, "pull_request": s.renderPull(pr),
		"repository": s.renderRepo(r), "sender": s.userByLogin(pr.User), "installation": s.installationFor(r),
	}
	if r.Owner.Type == "Organization" {
		over["organization"] = s.renderOrg(r.Owner)
	}
	if action == "synchronize" {
		over["after"] = pr.HeadSHA
		if c, err := r.store.commit(pr.HeadSHA); err == nil && len(c.Parents) > 0 {
			over["before"] = c.Parents[0]
		}
	}
	return s.buildEvent(fixture, over)
}

func (s *Server) renderOrg(a *account) obj {
	api := s.apiBase() + "/orgs/" + a.Login
	return obj{
		"login": a.Login, "id": a.ID, "node_id": nodeID("Organization", a.ID), "url": api,
		"repos_url": api + "/repos", "events_url": api + "/events", "hooks_url": api + "/hooks",
		"issues_url": api + "/issues", "members_url": api + "/members{/member}",
		"public_members_url": api + "/public_members{/member}", "avatar_url": fmt.Sprintf("%s/avatars/u/%d?v=4", s.URL, a.ID),
		"description": "",
	}
}

// IssueCommentEvent builds an issue_comment payload (created, edited, deleted) for comment commentID.
// For "edited", previousBody becomes changes.body.from.
func (s *Server) IssueCommentEvent(action, owner, repo string, commentID int64, previousBody ...string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return nil
	}
	var cm *IssueComment
	for _, c := range r.comments {
		if c.ID == commentID {
			cm = c
		}
	}
	if cm == nil {
		s.fatalf("IssueCommentEvent: %s/%s has no issue comment %d", owner, repo, commentID)
		return nil
	}
	fixture := "issue_comment.created.with-installation.payload.json"
	over := obj{
		"action": action, "issue": s.renderIssue(r, r.issues[cm.IssueNumber]), "comment": s.renderIssueComment(r, cm),
		"repository": s.renderRepo(r), "sender": s.userByLogin(cm.User), "installation": s.installationFor(r),
	}
	if r.Owner.Type == "Organization" {
		over["organization"] = s.renderOrg(r.Owner)
	}
	if action == "edited" {
		fixture = "issue_comment.edited.payload.json"
		from := ""
		if len(previousBody) > 0 {
			from = previousBody[0]
		}
		over["changes"] = obj{"body": obj{"from": from}}
	}
	out := s.buildEvent(fixture, over)
	if r.Owner.Type != "Organization" {
		out = s.dropKey(out, "organization")
	}
	return out
}

func (s *Server) dropKey(payload []byte, key string) []byte {
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		return payload
	}
	delete(m, key)
	b, err := json.Marshal(m)
	if err != nil {
		return payload
	}
	return b
}

// InstallationEvent builds an installation payload (created, deleted, suspend, unsuspend,
// new_permissions_accepted) for installation id.
func (s *Server) InstallationEvent(action string, id int64) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.installations[id]
	if !ok {
		s.fatalf("InstallationEvent: no installation %d", id)
		return nil
	}
	fixture := map[string]string{
		"deleted": "installation.deleted.payload.json", "suspend": "installation.suspend.payload.json",
		"unsuspend": "installation.suspend.payload.json", "new_permissions_accepted": "installation.new_permissions_accepted.payload.json",
	}[action]
	if fixture == "" {
		fixture = "installation.created.payload.json"
	}
	repos := []any{}
	for _, r := range s.sortedRepos() {
		if in.covers(r) || (in.Suspended && in.Repos[r.ID]) {
			repos = append(repos, s.renderInstallationRepo(r))
		}
	}
	return s.buildEvent(fixture, obj{
		"action": action, "installation": s.renderInstallation(in), "repositories": repos, "sender": s.renderUser(in.Account),
	})
}

// renderInstallationRepo is the short repository form of installation payloads.
func (s *Server) renderInstallationRepo(r *repository) obj {
	return obj{"id": r.ID, "node_id": nodeID("Repository", r.ID), "name": r.Name, "full_name": r.fullName(), "private": r.Private}
}

// InstallationRepositoriesEvent builds an installation_repositories payload ("added" or "removed")
// listing repos ("owner/name").
func (s *Server) InstallationRepositoriesEvent(action string, id int64, repos ...string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.installations[id]
	if !ok {
		s.fatalf("InstallationRepositoriesEvent: no installation %d", id)
		return nil
	}
	list := []any{}
	for _, full := range repos {
		r, ok := s.repos[strings.ToLower(full)]
		if !ok {
			s.fatalf("InstallationRepositoriesEvent: no repository %s", full)
			return nil
		}
		list = append(list, s.renderInstallationRepo(r))
	}
	over := obj{
		"action": action, "installation": s.renderInstallation(in), "repository_selection": in.Selection,
		"sender": s.renderUser(in.Account), "repositories_added": []any{}, "repositories_removed": []any{},
	}
	fixture := "installation_repositories.added.payload.json"
	if action == "removed" {
		fixture = "installation_repositories.removed.payload.json"
		over["repositories_removed"] = list
	} else {
		over["repositories_added"] = list
	}
	return s.buildEvent(fixture, over)
}

// CheckSuiteEvent builds a check_suite payload (requested, rerequested) for head SHA sha.
func (s *Server) CheckSuiteEvent(action, owner, repo, sha string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return nil
	}
	branch := any(nil)
	for ref, x := range r.refs {
		if x == sha && strings.HasPrefix(ref, "refs/heads/") {
			branch = strings.TrimPrefix(ref, "refs/heads/")
		}
	}
	var prs []any
	for _, n := range sortedPullNumbers(r) {
		pr := r.pulls[n]
		s.refreshPR(pr)
		if pr.State == "open" && pr.HeadSHA == sha && pr.head == r {
			api := s.apiBase() + "/repos/" + r.fullName()
			prs = append(prs, obj{
				"url": fmt.Sprintf("%s/pulls/%d", api, n), "id": pr.ID, "number": n,
				"head": obj{"ref": pr.HeadRef, "sha": pr.HeadSHA, "repo": obj{"id": r.ID, "url": api, "name": r.Name}},
				"base": obj{"ref": pr.BaseRef, "sha": pr.BaseSHA, "repo": obj{"id": r.ID, "url": api, "name": r.Name}},
			})
		}
	}
	if prs == nil {
		prs = []any{}
	}
	fixture := "check_suite.requested.payload.json"
	if action == "rerequested" {
		fixture = "check_suite.rerequested.payload.json"
	}
	suite := obj{
		"id": checkSuiteID(r, sha), "head_branch": branch, "head_sha": sha, "pull_requests": prs,
		"url": fmt.Sprintf("%s/repos/%s/check-suites/%d", s.apiBase(), r.fullName(), checkSuiteID(r, sha)),
		"app": s.renderApp(),
	}
	return s.buildEvent(fixture, obj{
		"action": action, "check_suite": suite, "repository": s.renderRepo(r),
		"sender": s.renderUser(r.Owner), "installation": s.installationFor(r),
	})
}

// CheckRunEvent builds a check_run payload (e.g. rerequested) for check run id.
func (s *Server) CheckRunEvent(action, owner, repo string, id int64) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return nil
	}
	for _, cr := range r.checkRuns {
		if cr.ID == id {
			return s.buildEvent("check_run.rerequested.payload.json", obj{
				"action": action, "check_run": s.renderCheckRun(r, cr), "repository": s.renderRepo(r),
				"sender": s.renderUser(r.Owner), "installation": s.installationFor(r),
			})
		}
	}
	s.fatalf("CheckRunEvent: %s/%s has no check run %d", owner, repo, id)
	return nil
}

// PingEvent builds the ping payload GitHub sends when the App's hook is created.
func (s *Server) PingEvent() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buildEvent("ping.with-app_id.payload.json", obj{"hook": obj{"app_id": s.cfg.appID}})
}
