package githubtest

// routeTable lists every route the fake serves under /api/v3, in match order (doc.go has the same list
// for readers). The doc strings are the documentation paths GitHub puts in its error bodies.
func (s *Server) routeTable() []route {
	return []route{
		// App (JWT)
		{"GET", "/app", needJWT, "apps/apps#get-the-authenticated-app", s.handleGetApp},
		{"GET", "/app/installations", needJWT, "apps/apps#list-installations-for-the-authenticated-app", s.handleListInstallations},
		{"GET", "/app/installations/{id}", needJWT, "apps/apps#get-an-installation-for-the-authenticated-app", s.handleGetInstallation},
		{"POST", "/app/installations/{id}/access_tokens", needJWT, "apps/apps#create-an-installation-access-token-for-an-app", s.handleCreateToken},
		{"GET", "/repos/{owner}/{repo}/installation", needJWT, "apps/apps#get-a-repository-installation-for-the-authenticated-app", s.handleRepoInstallation},
		{"GET", "/orgs/{account}/installation", needJWT, "apps/apps#get-an-organization-installation-for-the-authenticated-app", s.handleAccountInstallation},
		{"GET", "/users/{account}/installation", needJWT, "apps/apps#get-a-user-installation-for-the-authenticated-app", s.handleAccountInstallation},
		// Installation
		{"GET", "/installation/repositories", needToken, "apps/installations#list-repositories-accessible-to-the-app-installation", s.handleInstallationRepos},
		// Repositories and contents
		{"GET", "/repos/{owner}/{repo}", needToken, "repos/repos#get-a-repository", s.handleGetRepo},
		{"GET", "/repos/{owner}/{repo}/collaborators/{user}/permission", needToken, "collaborators/collaborators#get-repository-permissions-for-a-user", s.handlePermission},
		{"GET", "/repos/{owner}/{repo}/contents/{path...}", needToken, "repos/contents#get-repository-content", s.handleGetContents},
		{"GET", "/repos/{owner}/{repo}/tarball/{ref...}", needToken, "repos/contents#download-a-repository-archive-tar", s.handleTarball},
		{"GET", "/repos/{owner}/{repo}/tarball", needToken, "repos/contents#download-a-repository-archive-tar", s.handleTarball},
		// Pull requests
		{"GET", "/repos/{owner}/{repo}/pulls", needToken, "pulls/pulls#list-pull-requests", s.handleListPulls},
		{"POST", "/repos/{owner}/{repo}/pulls", needToken, "pulls/pulls#create-a-pull-request", s.handleCreatePull},
		{"PATCH", "/repos/{owner}/{repo}/pulls/comments/{id}", needToken, "pulls/comments#update-a-review-comment-for-a-pull-request", s.handleEditPullComment},
		{"GET", "/repos/{owner}/{repo}/pulls/{number}", needToken, "pulls/pulls#get-a-pull-request", s.handleGetPull},
		{"PATCH", "/repos/{owner}/{repo}/pulls/{number}", needToken, "pulls/pulls#update-a-pull-request", s.handleUpdatePull},
		{"GET", "/repos/{owner}/{repo}/pulls/{number}/files", needToken, "pulls/pulls#list-pull-requests-files", s.handleListPullFiles},
		{"GET", "/repos/{owner}/{repo}/pulls/{number}/reviews", needToken, "pulls/reviews#list-reviews-for-a-pull-request", s.handleListReviews},
		{"POST", "/repos/{owner}/{repo}/pulls/{number}/reviews", needToken, "pulls/reviews#create-a-review-for-a-pull-request", s.handleCreateReview},
		{"GET", "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}", needToken, "pulls/reviews#get-a-review-for-a-pull-request", s.handleGetReview},
		{"PUT", "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}", needToken, "pulls/reviews#update-a-review-for-a-pull-request", s.handleUpdateReview},
		{"DELETE", "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}", needToken, "pulls/reviews#delete-a-pending-review-for-a-pull-request", s.handleDeletePendingReview},
		{"POST", "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}/events", needToken, "pulls/reviews#submit-a-review-for-a-pull-request", s.handleSubmitReview},
		{"PUT", "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}/dismissals", needToken, "pulls/reviews#dismiss-a-review-for-a-pull-request", s.handleDismissReview},
		{"GET", "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}/comments", needToken, "pulls/reviews#list-comments-for-a-pull-request-review", s.handleListReviewComments},
		{"GET", "/repos/{owner}/{repo}/pulls/{number}/comments", needToken, "pulls/comments#list-review-comments-on-a-pull-request", s.handleListPullComments},
		{"POST", "/repos/{owner}/{repo}/pulls/{number}/comments", needToken, "pulls/comments#create-a-review-comment-for-a-pull-request", s.handleCreatePullComment},
		// Issues, comments, reactions
		{"GET", "/repos/{owner}/{repo}/issues", needToken, "issues/issues#list-repository-issues", s.handleListIssues},
		{"POST", "/repos/{owner}/{repo}/issues", needToken, "issues/issues#create-an-issue", s.handleCreateIssue},
		{"GET", "/repos/{owner}/{repo}/issues/comments/{id}", needToken, "issues/comments#get-an-issue-comment", s.handleGetIssueComment},
		{"PATCH", "/repos/{owner}/{repo}/issues/comments/{id}", needToken, "issues/comments#update-an-issue-comment", s.handleEditIssueComment},
		{"GET", "/repos/{owner}/{repo}/issues/comments/{id}/reactions", needToken, "reactions/reactions#list-reactions-for-an-issue-comment", s.handleListReactions},
		{"POST", "/repos/{owner}/{repo}/issues/comments/{id}/reactions", needToken, "reactions/reactions#create-reaction-for-an-issue-comment", s.handleCreateReaction},
		{"GET", "/repos/{owner}/{repo}/issues/{number}", needToken, "issues/issues#get-an-issue", s.handleGetIssue},
		{"PATCH", "/repos/{owner}/{repo}/issues/{number}", needToken, "issues/issues#update-an-issue", s.handleEditIssue},
		{"GET", "/repos/{owner}/{repo}/issues/{number}/comments", needToken, "issues/comments#list-issue-comments", s.handleListIssueComments},
		{"POST", "/repos/{owner}/{repo}/issues/{number}/comments", needToken, "issues/comments#create-an-issue-comment", s.handleCreateIssueComment},
		// Checks
		{"POST", "/repos/{owner}/{repo}/check-runs", needToken, "checks/runs#create-a-check-run", s.handleCreateCheckRun},
		{"GET", "/repos/{owner}/{repo}/check-runs/{id}", needToken, "checks/runs#get-a-check-run", s.handleGetCheckRun},
		{"PATCH", "/repos/{owner}/{repo}/check-runs/{id}", needToken, "checks/runs#update-a-check-run", s.handleUpdateCheckRun},
		{"GET", "/repos/{owner}/{repo}/check-runs/{id}/annotations", needToken, "checks/runs#list-check-run-annotations", s.handleListCheckRunAnnotations},
		{"GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", needToken, "checks/runs#list-check-runs-for-a-git-reference", s.handleListCheckRunsForRef},
		// Git data
		{"GET", "/repos/{owner}/{repo}/git/ref/{ref...}", needToken, "git/refs#get-a-reference", s.handleGetRef},
		{"GET", "/repos/{owner}/{repo}/git/matching-refs/{ref...}", needToken, "git/refs#list-matching-references", s.handleMatchingRefs},
		{"POST", "/repos/{owner}/{repo}/git/refs", needToken, "git/refs#create-a-reference", s.handleCreateRef},
		{"PATCH", "/repos/{owner}/{repo}/git/refs/{ref...}", needToken, "git/refs#update-a-reference", s.handleUpdateRef},
		{"DELETE", "/repos/{owner}/{repo}/git/refs/{ref...}", needToken, "git/refs#delete-a-reference", s.handleDeleteRef},
		{"POST", "/repos/{owner}/{repo}/git/blobs", needToken, "git/blobs#create-a-blob", s.handleCreateBlob},
		{"GET", "/repos/{owner}/{repo}/git/blobs/{sha}", needToken, "git/blobs#get-a-blob", s.handleGetBlob},
		{"POST", "/repos/{owner}/{repo}/git/trees", needToken, "git/trees#create-a-tree", s.handleCreateTree},
		{"GET", "/repos/{owner}/{repo}/git/trees/{sha}", needToken, "git/trees#get-a-tree", s.handleGetTree},
		{"POST", "/repos/{owner}/{repo}/git/commits", needToken, "git/commits#create-a-commit", s.handleCreateCommit},
		{"GET", "/repos/{owner}/{repo}/git/commits/{sha}", needToken, "git/commits#get-a-commit-object", s.handleGetCommit},
	}
}
