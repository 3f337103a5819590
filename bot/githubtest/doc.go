// Package githubtest is a fake GitHub for distill's tests: a real HTTP server on 127.0.0.1 that speaks
// the shapes of testdata/github (real payloads and response bodies), enforces GitHub's rules (App JWTs,
// expiring installation tokens, review comments only on diff lines, body limits, fast-forward refs),
// records every request and injects failures on demand.
//
// # Starting it
//
//	srv := githubtest.New(t)                  // closed when the test ends
//	srv, err := githubtest.Start(); srv.Close() // outside tests (distill demo)
//
// The REST API lives under /api/v3/ as on GitHub Enterprise Server, so go-github is pointed at it with
// github.NewClient(hc).WithEnterpriseURLs(srv.URL, srv.URL) and ghinstallation with
// itr.BaseURL = srv.URL + "/api/v3". A client that builds absolute URLs by hand misses the prefix and
// gets a 404.
//
// # State and helpers
//
// AddRepo, AddInstallation, AddUser, SetPermission, Commit, CommitFiles, OpenPR, Push and
// AddIssueComment build the scenario; a mini git object store computes real git SHAs. PR file lists are
// three-dot diffs (merge base..head) with git-style patches made by go-udiff. Reviews, IssueComments,
// Reactions, CheckRuns, PullRequests, Issues, Ref, FileAt, Files and CommitAt read the state back;
// Requests, RequestsTo and CountRequests read the request log. Inject queues Faults (SecondaryRateLimit,
// SecondaryRateLimitCurrent, PrimaryRateLimit, TooManyRequests, ServerError, NotFoundFault, Slow).
// PullRequestEvent, IssueCommentEvent, InstallationEvent, InstallationRepositoriesEvent,
// CheckSuiteEvent, CheckRunEvent and PingEvent build webhook payloads; package hook delivers them.
//
// # Clock
//
// Now is wall time plus Advance. Tokens expire on that clock; JWTs are checked against the wall clock
// because the client signs them with its own (ghinstallation v2.11.0 reads time.Now directly, so after
// Advance(61*time.Minute) an existing transport keeps sending its token and gets 401 until the bot
// builds a new transport).
//
// # Routes (under /api/v3)
//
//	GET    /app                                              JWT
//	GET    /app/installations, /app/installations/{id}       JWT
//	POST   /app/installations/{id}/access_tokens             JWT
//	GET    /repos/{o}/{r}/installation                       JWT
//	GET    /orgs/{org}/installation, /users/{u}/installation JWT
//	GET    /installation/repositories
//	GET    /repos/{o}/{r}
//	GET    /repos/{o}/{r}/collaborators/{u}/permission
//	GET    /repos/{o}/{r}/contents/{path}                    files, directories (root too), raw media type
//	GET    /repos/{o}/{r}/tarball[/{ref}]                    302 to /_codeload/…
//	GET    /repos/{o}/{r}/pulls                              state, head, base filters
//	POST   /repos/{o}/{r}/pulls
//	GET    /repos/{o}/{r}/pulls/{n}                          JSON, or the diff media type
//	PATCH  /repos/{o}/{r}/pulls/{n}
//	GET    /repos/{o}/{r}/pulls/{n}/files
//	GET    /repos/{o}/{r}/pulls/{n}/reviews
//	POST   /repos/{o}/{r}/pulls/{n}/reviews
//	GET    /repos/{o}/{r}/pulls/{n}/reviews/{id}
//	PUT    /repos/{o}/{r}/pulls/{n}/reviews/{id}
//	DELETE /repos/{o}/{r}/pulls/{n}/reviews/{id}             pending reviews only
//	POST   /repos/{o}/{r}/pulls/{n}/reviews/{id}/events
//	PUT    /repos/{o}/{r}/pulls/{n}/reviews/{id}/dismissals
//	GET    /repos/{o}/{r}/pulls/{n}/reviews/{id}/comments
//	GET    /repos/{o}/{r}/pulls/{n}/comments
//	POST   /repos/{o}/{r}/pulls/{n}/comments                 single comment or reply
//	PATCH  /repos/{o}/{r}/pulls/comments/{id}
//	GET    /repos/{o}/{r}/issues                             state, creator, labels filters
//	POST   /repos/{o}/{r}/issues
//	GET    /repos/{o}/{r}/issues/{n}
//	PATCH  /repos/{o}/{r}/issues/{n}
//	GET    /repos/{o}/{r}/issues/{n}/comments
//	POST   /repos/{o}/{r}/issues/{n}/comments
//	GET    /repos/{o}/{r}/issues/comments/{id}
//	PATCH  /repos/{o}/{r}/issues/comments/{id}
//	GET    /repos/{o}/{r}/issues/comments/{id}/reactions
//	POST   /repos/{o}/{r}/issues/comments/{id}/reactions    201 new, 200 existing
//	POST   /repos/{o}/{r}/check-runs
//	GET    /repos/{o}/{r}/check-runs/{id}
//	PATCH  /repos/{o}/{r}/check-runs/{id}                    annotations append
//	GET    /repos/{o}/{r}/check-runs/{id}/annotations
//	GET    /repos/{o}/{r}/commits/{ref}/check-runs
//	GET    /repos/{o}/{r}/git/ref/{ref}                      nested branch names
//	GET    /repos/{o}/{r}/git/matching-refs/{ref}
//	POST   /repos/{o}/{r}/git/refs
//	PATCH  /repos/{o}/{r}/git/refs/{ref}                     fast-forward unless force
//	DELETE /repos/{o}/{r}/git/refs/{ref}
//	POST   /repos/{o}/{r}/git/blobs                          utf-8 or base64
//	GET    /repos/{o}/{r}/git/blobs/{sha}                    JSON or raw
//	POST   /repos/{o}/{r}/git/trees                          base_tree, sha: null deletes
//	GET    /repos/{o}/{r}/git/trees/{sha}                    recursive=1
//	POST   /repos/{o}/{r}/git/commits
//	GET    /repos/{o}/{r}/git/commits/{sha}
//
// Outside /api/v3: GET /raw/{o}/{r}/{ref}/{path} (download_url) and
// GET /_codeload/{o}/{r}/legacy.tar.gz/{ref} (tarballs), as GitHub Enterprise Server lays them out.
// Anything else is a 404 with GitHub's body.
package githubtest
