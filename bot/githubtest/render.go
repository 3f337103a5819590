package githubtest

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// JSON representations of the fake's state, key for key the shapes of the fixtures in
// testdata/github/rest/responses (shape_test.go holds the fake to that). API URLs point at the fake's
// /api/v3 and web URLs at its root, as on GitHub Enterprise Server.

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func nodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%03d:%s%d", len(kind), kind, id)))
}

func (s *Server) renderUser(a *account) obj {
	if a == nil {
		return nil
	}
	api := s.apiBase() + "/users/" + a.Login
	kind := "User"
	if a.Type == "Organization" {
		kind = "Organization"
	}
	o := obj{
		"login": a.Login, "id": a.ID, "node_id": nodeID(kind, a.ID),
		"avatar_url":  fmt.Sprintf("%s/avatars/u/%d?v=4", s.URL, a.ID),
		"gravatar_id": "", "url": api, "html_url": s.URL + "/" + a.Login,
		"followers_url": api + "/followers", "following_url": api + "/following{/other_user}",
		"gists_url": api + "/gists{/gist_id}", "starred_url": api + "/starred{/owner}{/repo}",
		"subscriptions_url": api + "/subscriptions", "organizations_url": api + "/orgs",
		"repos_url": api + "/repos", "events_url": api + "/events{/privacy}",
		"received_events_url": api + "/received_events", "type": a.Type, "site_admin": false,
	}
	if a.Type == "Bot" {
		o["html_url"] = s.URL + "/apps/" + strings.TrimSuffix(a.Login, "[bot]")
	}
	return o
}

// userByLogin renders a known login (creating the account if a test referred to it only by name).
func (s *Server) userByLogin(login string) obj { return s.renderUser(s.account(login, "")) }

var repoURLTemplates = [][2]string{
	{"archive_url", "/{archive_format}{/ref}"}, {"assignees_url", "/assignees{/user}"},
	{"blobs_url", "/git/blobs{/sha}"}, {"branches_url", "/branches{/branch}"},
	{"collaborators_url", "/collaborators{/collaborator}"}, {"comments_url", "/comments{/number}"},
	{"commits_url", "/commits{/sha}"}, {"compare_url", "/compare/{base}...{head}"},
	{"contents_url", "/contents/{+path}"}, {"contributors_url", "/contributors"},
	{"deployments_url", "/deployments"}, {"downloads_url", "/downloads"}, {"events_url", "/events"},
	{"forks_url", "/forks"}, {"git_commits_url", "/git/commits{/sha}"}, {"git_refs_url", "/git/refs{/sha}"},
	{"git_tags_url", "/git/tags{/sha}"}, {"issue_comment_url", "/issues/comments{/number}"},
	{"issue_events_url", "/issues/events{/number}"}, {"issues_url", "/issues{/number}"},
	{"keys_url", "/keys{/key_id}"}, {"labels_url", "/labels{/name}"}, {"languages_url", "/languages"},
	{"merges_url", "/merges"}, {"milestones_url", "/milestones{/number}"},
	{"notifications_url", "/notifications{?since,all,participating}"}, {"pulls_url", "/pulls{/number}"},
	{"releases_url", "/releases{/id}"}, {"stargazers_url", "/stargazers"}, {"statuses_url", "/statuses/{sha}"},
	{"subscribers_url", "/subscribers"}, {"subscription_url", "/subscription"}, {"tags_url", "/tags"},
	{"teams_url", "/teams"}, {"trees_url", "/git/trees{/sha}"}, {"hooks_url", "/hooks"},
}

// renderRepo is the "repository" object embedded in PRs, installation lists and webhooks.
func (s *Server) renderRepo(r *repository) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	web := s.URL + "/" + r.fullName()
	host := strings.TrimPrefix(strings.TrimPrefix(s.URL, "http://"), "https://")
	visibility := "public"
	if r.Private {
		visibility = "private"
	}
	openIssues := 0
	for _, is := range r.issues {
		if is.State == "open" {
			openIssues++
		}
	}
	o := obj{
		"id": r.ID, "node_id": nodeID("Repository", r.ID), "name": r.Name, "full_name": r.fullName(),
		"owner": s.renderUser(r.Owner), "private": r.Private, "html_url": web, "description": r.Description,
		"fork": r.Parent != nil, "url": api,
		"git_url": "git://" + host + "/" + r.fullName() + ".git", "ssh_url": "git@" + host + ":" + r.fullName() + ".git",
		"clone_url": web + ".git", "mirror_url": nil, "svn_url": web, "homepage": nil, "language": nil,
		"forks_count": 0, "forks": 0, "stargazers_count": 0, "watchers_count": 0, "watchers": 0, "size": 0,
		"default_branch": r.DefaultBranch, "open_issues_count": openIssues, "open_issues": openIssues,
		"is_template": false, "topics": []string{}, "has_issues": true, "has_projects": true, "has_wiki": true,
		"has_pages": false, "has_downloads": true, "has_discussions": false, "archived": false, "disabled": false,
		"visibility": visibility, "pushed_at": ts(r.PushedAt), "created_at": ts(r.CreatedAt), "updated_at": ts(r.PushedAt),
		"permissions":        obj{"admin": false, "maintain": false, "push": true, "triage": true, "pull": true},
		"allow_rebase_merge": true, "temp_clone_token": "", "allow_squash_merge": true, "allow_auto_merge": false,
		"delete_branch_on_merge": false, "allow_merge_commit": true, "allow_forking": true,
		"subscribers_count": 0, "network_count": 0, "license": nil, "web_commit_signoff_required": false,
		"template_repository": nil,
	}
	for _, t := range repoURLTemplates {
		o[t[0]] = api + t[1]
	}
	return o
}

// renderFullRepo is GET /repos/{o}/{r}: the repository plus organization, parent and source.
func (s *Server) renderFullRepo(r *repository) obj {
	o := s.renderRepo(r)
	o["template_repository"] = nil
	if r.Owner.Type == "Organization" {
		o["organization"] = s.renderUser(r.Owner)
	}
	if r.Parent != nil {
		o["parent"] = s.renderRepo(r.Parent)
		src := r.Parent
		for src.Parent != nil {
			src = src.Parent
		}
		o["source"] = s.renderRepo(src)
	}
	return o
}

func (s *Server) renderApp() obj {
	owner := s.account(s.cfg.appOwner, "Organization")
	return obj{
		"id": s.cfg.appID, "slug": s.cfg.appSlug, "client_id": fmt.Sprintf("Iv1.%016x", s.cfg.appID),
		"node_id": nodeID("Integration", s.cfg.appID), "owner": s.renderUser(owner), "name": s.cfg.appName,
		"description": "Distroless conversions for Dockerfiles (fake)", "external_url": s.URL,
		"html_url": s.URL + "/apps/" + s.cfg.appSlug, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
		"permissions":         DefaultPermissions,
		"events":              []string{"check_suite", "issue_comment", "pull_request"},
		"installations_count": len(s.installations),
	}
}

func (s *Server) renderInstallation(in *installation) obj {
	target := "Organization"
	html := s.URL + "/organizations/" + in.Account.Login + "/settings/installations/" + itoa(in.ID)
	if in.Account.Type != "Organization" {
		target = "User"
		html = s.URL + "/settings/installations/" + itoa(in.ID)
	}
	var suspendedAt, suspendedBy any
	if in.Suspended {
		suspendedAt, suspendedBy = ts(in.CreatedAt), s.renderUser(in.Account)
	}
	return obj{
		"id": in.ID, "account": s.renderUser(in.Account), "repository_selection": in.Selection,
		"access_tokens_url": s.apiBase() + "/app/installations/" + itoa(in.ID) + "/access_tokens",
		"repositories_url":  s.apiBase() + "/installation/repositories", "html_url": html,
		"app_id": s.cfg.appID, "client_id": fmt.Sprintf("Iv1.%016x", s.cfg.appID), "target_id": in.Account.ID,
		"target_type": target, "permissions": in.Permissions, "events": in.Events,
		"created_at": ts(in.CreatedAt), "updated_at": ts(in.CreatedAt), "single_file_name": nil,
		"has_multiple_single_files": false, "single_file_paths": []string{}, "app_slug": s.cfg.appSlug,
		"suspended_at": suspendedAt, "suspended_by": suspendedBy,
	}
}

// association is author_association of login on r, from the permission map.
func (s *Server) association(r *repository, login string) string {
	if strings.EqualFold(login, r.Owner.Login) {
		return "OWNER"
	}
	switch r.permissions[strings.ToLower(login)] {
	case "admin", "maintain", "write", "triage":
		return "COLLABORATOR"
	}
	if strings.HasSuffix(login, "[bot]") {
		return "NONE"
	}
	return "CONTRIBUTOR"
}

func (s *Server) renderBranch(r *repository, ref, sha string) obj {
	return obj{
		"label": r.Owner.Login + ":" + ref, "ref": ref, "sha": sha,
		"user": s.renderUser(r.Owner), "repo": s.renderRepo(r),
	}
}

func (s *Server) renderPull(pr *pullState) obj {
	s.refreshPR(pr)
	r := pr.base
	api := s.apiBase() + "/repos/" + r.fullName()
	web := s.URL + "/" + r.fullName()
	n := itoa(int64(pr.Number))
	files, _ := s.prFiles(pr)
	adds, dels := 0, 0
	for _, f := range files {
		adds += f.Additions
		dels += f.Deletions
	}
	comments, reviewComments := 0, 0
	for _, c := range r.comments {
		if c.IssueNumber == pr.Number {
			comments++
		}
	}
	for _, c := range r.revComments {
		if c.PullNumber == pr.Number {
			reviewComments++
		}
	}
	commits := 0
	if mb := r.store.mergeBase(pr.BaseSHA, pr.HeadSHA); true {
		for cur := pr.HeadSHA; cur != "" && cur != mb; {
			commits++
			c, err := r.store.commit(cur)
			if err != nil || len(c.Parents) == 0 {
				break
			}
			cur = c.Parents[0]
		}
	}
	var closedAt any
	if pr.State == "closed" {
		closedAt = ts(pr.ClosedAt)
	}
	var mergeable any = true
	mergeableState := "clean"
	if pr.Draft {
		mergeableState = "draft"
	}
	var labels []any
	if is := r.issues[pr.Number]; is != nil {
		labels = s.renderLabels(r, is.Labels)
	}
	return obj{
		"url": api + "/pulls/" + n, "id": pr.ID, "node_id": nodeID("PullRequest", pr.ID),
		"html_url": web + "/pull/" + n, "diff_url": web + "/pull/" + n + ".diff", "patch_url": web + "/pull/" + n + ".patch",
		"issue_url": api + "/issues/" + n, "commits_url": api + "/pulls/" + n + "/commits",
		"review_comments_url": api + "/pulls/" + n + "/comments", "review_comment_url": api + "/pulls/comments{/number}",
		"comments_url": api + "/issues/" + n + "/comments", "statuses_url": api + "/statuses/" + pr.HeadSHA,
		"number": pr.Number, "state": pr.State, "locked": false, "title": pr.Title,
		"user": s.userByLogin(pr.User), "body": nullIfEmpty(pr.Body), "labels": labels, "milestone": nil,
		"active_lock_reason": nil, "created_at": ts(pr.CreatedAt), "updated_at": ts(pr.UpdatedAt),
		"closed_at": closedAt, "merged_at": nil, "merge_commit_sha": nil, "assignee": nil, "assignees": []any{},
		"requested_reviewers": []any{}, "requested_teams": []any{},
		"head": s.renderBranch(pr.head, pr.HeadRef, pr.HeadSHA), "base": s.renderBranch(r, pr.BaseRef, pr.BaseSHA),
		"_links": obj{
			"self": obj{"href": api + "/pulls/" + n}, "html": obj{"href": web + "/pull/" + n},
			"issue": obj{"href": api + "/issues/" + n}, "comments": obj{"href": api + "/issues/" + n + "/comments"},
			"review_comments": obj{"href": api + "/pulls/" + n + "/comments"},
			"review_comment":  obj{"href": api + "/pulls/comments{/number}"},
			"commits":         obj{"href": api + "/pulls/" + n + "/commits"},
			"statuses":        obj{"href": api + "/statuses/" + pr.HeadSHA},
		},
		"author_association": s.association(r, pr.User), "auto_merge": nil, "draft": pr.Draft,
		"merged": pr.Merged, "mergeable": mergeable, "rebaseable": true, "mergeable_state": mergeableState,
		"merged_by": nil, "comments": comments, "review_comments": reviewComments,
		"maintainer_can_modify": pr.MaintainerCanModify, "commits": commits, "additions": adds, "deletions": dels,
		"changed_files": len(files),
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) renderLabels(r *repository, names []string) []any {
	out := []any{}
	for _, n := range names {
		id := int64(len(n)*7919 + 1)
		out = append(out, obj{
			"id": id, "node_id": nodeID("Label", id), "url": s.apiBase() + "/repos/" + r.fullName() + "/labels/" + n,
			"name": n, "color": "ededed", "default": false, "description": nil,
		})
	}
	return out
}

func (s *Server) renderIssue(r *repository, is *Issue) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	web := s.URL + "/" + r.fullName()
	n := itoa(int64(is.Number))
	comments := 0
	for _, c := range r.comments {
		if c.IssueNumber == is.Number {
			comments++
		}
	}
	html := web + "/issues/" + n
	if is.IsPullRequest {
		html = web + "/pull/" + n
	}
	var closedAt, stateReason any
	if is.State == "closed" {
		closedAt = ts(is.ClosedAt)
		stateReason = nullIfEmpty(is.StateReason)
	}
	o := obj{
		"url": api + "/issues/" + n, "repository_url": api, "labels_url": api + "/issues/" + n + "/labels{/name}",
		"comments_url": api + "/issues/" + n + "/comments", "events_url": api + "/issues/" + n + "/events",
		"html_url": html, "id": is.ID, "node_id": nodeID("Issue", is.ID), "number": is.Number, "title": is.Title,
		"user": s.userByLogin(is.User), "labels": s.renderLabels(r, is.Labels), "state": is.State, "locked": false,
		"assignee": nil, "assignees": []any{}, "milestone": nil, "comments": comments,
		"created_at": ts(is.CreatedAt), "updated_at": ts(is.UpdatedAt), "closed_at": closedAt,
		"author_association": s.association(r, is.User), "active_lock_reason": nil, "body": nullIfEmpty(is.Body),
		"state_reason": stateReason, "performed_via_github_app": nil,
		"reactions":    s.reactionRollup(api+"/issues/"+n+"/reactions", nil),
		"timeline_url": api + "/issues/" + n + "/timeline",
	}
	if is.IsPullRequest {
		o["pull_request"] = obj{
			"url": api + "/pulls/" + n, "html_url": web + "/pull/" + n,
			"diff_url": web + "/pull/" + n + ".diff", "patch_url": web + "/pull/" + n + ".patch", "merged_at": nil,
		}
		o["draft"] = r.pulls[is.Number] != nil && r.pulls[is.Number].Draft
	}
	return o
}

func (s *Server) reactionRollup(url string, rs []*Reaction) obj {
	o := obj{"url": url, "total_count": len(rs), "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0}
	for _, r := range rs {
		o[r.Content] = o[r.Content].(int) + 1
	}
	return o
}

func (s *Server) renderIssueComment(r *repository, c *IssueComment) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	web := s.URL + "/" + r.fullName()
	kind := "issues"
	if is := r.issues[c.IssueNumber]; is != nil && is.IsPullRequest {
		kind = "pull"
	}
	var rs []*Reaction
	for _, x := range r.reactions {
		if x.CommentID == c.ID {
			rs = append(rs, x)
		}
	}
	return obj{
		"id": c.ID, "node_id": nodeID("IssueComment", c.ID), "url": api + "/issues/comments/" + itoa(c.ID),
		"html_url": fmt.Sprintf("%s/%s/%d#issuecomment-%d", web, kind, c.IssueNumber, c.ID),
		"body":     c.Body, "user": s.userByLogin(c.User), "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"issue_url": api + "/issues/" + itoa(int64(c.IssueNumber)), "author_association": s.association(r, c.User),
		"performed_via_github_app": nil, "reactions": s.reactionRollup(api+"/issues/comments/"+itoa(c.ID)+"/reactions", rs),
		"pin": nil, "minimized": nil,
	}
}

func (s *Server) renderReview(r *repository, rv *Review) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	html := fmt.Sprintf("%s/%s/pull/%d#pullrequestreview-%d", s.URL, r.fullName(), rv.PullNumber, rv.ID)
	prURL := fmt.Sprintf("%s/pulls/%d", api, rv.PullNumber)
	o := obj{
		"id": rv.ID, "node_id": nodeID("PullRequestReview", rv.ID), "user": s.userByLogin(rv.User),
		"body": rv.Body, "state": rv.State, "html_url": html, "pull_request_url": prURL,
		"_links":       obj{"html": obj{"href": html}, "pull_request": obj{"href": prURL}},
		"submitted_at": ts(rv.SubmittedAt), "commit_id": rv.CommitID, "author_association": s.association(r, rv.User),
	}
	if rv.SubmittedAt.IsZero() {
		delete(o, "submitted_at") // GitHub leaves it out of pending reviews
	}
	return o
}

func (s *Server) renderReviewComment(r *repository, c *ReviewComment) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	html := fmt.Sprintf("%s/%s/pull/%d#discussion_r%d", s.URL, r.fullName(), c.PullNumber, c.ID)
	prURL := fmt.Sprintf("%s/pulls/%d", api, c.PullNumber)
	self := api + "/pulls/comments/" + itoa(c.ID)
	var startLine, startSide any
	if c.StartLine != 0 {
		startLine, startSide = c.StartLine, c.StartSide
	}
	o := obj{
		"url": self, "pull_request_review_id": c.ReviewID, "id": c.ID, "node_id": nodeID("PullRequestReviewComment", c.ID),
		"diff_hunk": c.DiffHunk, "path": c.Path, "position": c.Position, "original_position": c.Position,
		"commit_id": c.CommitID, "original_commit_id": c.CommitID, "user": s.userByLogin(c.User), "body": c.Body,
		"created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt), "html_url": html, "pull_request_url": prURL,
		"author_association": s.association(r, c.User),
		"_links":             obj{"self": obj{"href": self}, "html": obj{"href": html}, "pull_request": obj{"href": prURL}},
		"start_line":         startLine, "original_start_line": startLine, "start_side": startSide,
		"line": c.Line, "original_line": c.Line, "side": c.Side, "subject_type": "line",
		"reactions": s.reactionRollup(self+"/reactions", nil),
	}
	if c.InReplyTo != 0 {
		o["in_reply_to_id"] = c.InReplyTo
	}
	return o
}

func (s *Server) renderCheckRun(r *repository, cr *CheckRun) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	self := api + "/check-runs/" + itoa(cr.ID)
	var prs []any
	for _, n := range sortedPullNumbers(r) {
		pr := r.pulls[n]
		s.refreshPR(pr)
		if pr.State != "open" || pr.HeadSHA != cr.HeadSHA || pr.head != r {
			continue
		}
		prs = append(prs, obj{
			"url": fmt.Sprintf("%s/pulls/%d", api, pr.Number), "id": pr.ID, "number": pr.Number,
			"head": obj{"ref": pr.HeadRef, "sha": pr.HeadSHA, "repo": obj{"id": r.ID, "url": api, "name": r.Name}},
			"base": obj{"ref": pr.BaseRef, "sha": pr.BaseSHA, "repo": obj{"id": r.ID, "url": api, "name": r.Name}},
		})
	}
	if prs == nil {
		prs = []any{}
	}
	var conclusion any
	if cr.Conclusion != "" {
		conclusion = cr.Conclusion
	}
	return obj{
		"id": cr.ID, "head_sha": cr.HeadSHA, "node_id": nodeID("CheckRun", cr.ID), "external_id": cr.ExternalID,
		"url": self, "html_url": fmt.Sprintf("%s/%s/runs/%d", s.URL, r.fullName(), cr.ID),
		"details_url": nullIfEmpty(cr.DetailsURL), "status": cr.Status, "conclusion": conclusion,
		"started_at": ts(cr.StartedAt), "completed_at": ts(cr.CompletedAt),
		"output": obj{
			"title": nullIfEmpty(cr.Title), "summary": nullIfEmpty(cr.Summary), "text": nullIfEmpty(cr.Text),
			"annotations_count": len(cr.Annotations), "annotations_url": self + "/annotations",
		},
		"name": cr.Name, "check_suite": obj{"id": checkSuiteID(r, cr.HeadSHA)}, "app": s.renderApp(), "pull_requests": prs,
	}
}

// checkSuiteID gives each (repository, head SHA) one stable suite id, as GitHub makes one suite per
// App and commit.
func checkSuiteID(r *repository, sha string) int64 {
	var h int64 = r.ID
	for _, c := range sha {
		h = (h*31 + int64(c)) & 0x7fffffff
	}
	return h
}

func (s *Server) renderReaction(x *Reaction) obj {
	return obj{
		"id": x.ID, "node_id": nodeID("Reaction", x.ID), "user": s.userByLogin(x.User),
		"content": x.Content, "created_at": ts(x.CreatedAt),
	}
}
