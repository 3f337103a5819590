package githubtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestListFilesPaginatesWithLinkHeaders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	files := map[string]string{}
	for i := range 250 {
		files[fmt.Sprintf("svc/%03d/Dockerfile", i)] = fmt.Sprintf("FROM alpine:3.%d\n", i)
	}
	w.srv.Commit("acme", "widgets", "many", files, "Add services")
	n := w.srv.OpenPR(PR{Owner: "acme", Repo: "widgets", Head: "many"})
	ctx := t.Context()

	first, resp, err := w.gh.PullRequests.ListFiles(ctx, "acme", "widgets", n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 30 || resp.NextPage != 2 || resp.LastPage != 9 {
		t.Fatalf("default page: %d files, next %d, last %d", len(first), resp.NextPage, resp.LastPage)
	}
	if link := resp.Header.Get("Link"); !strings.Contains(link, `rel="next"`) || !strings.Contains(link, `rel="last"`) {
		t.Errorf("Link = %q", link)
	}
	var all []*github.CommitFile
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := w.gh.PullRequests.ListFiles(ctx, "acme", "widgets", n, opts)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if len(all) != 250 {
		t.Fatalf("got %d files, want 250", len(all))
	}
	f := all[7]
	if f.GetFilename() != "svc/007/Dockerfile" || f.GetStatus() != "added" || f.GetPatch() != "@@ -0,0 +1 @@\n+FROM alpine:3.7" || f.GetAdditions() != 1 {
		t.Errorf("file = %s %s %q +%d", f.GetFilename(), f.GetStatus(), f.GetPatch(), f.GetAdditions())
	}
	// The file's sha is the blob SHA, consistent with the git API.
	blob, _, err := w.gh.Git.GetBlobRaw(ctx, "acme", "widgets", f.GetSHA())
	if err != nil || string(blob) != "FROM alpine:3.7\n" {
		t.Errorf("blob %s = %q, %v", f.GetSHA(), blob, err)
	}
	// per_page is capped at 100.
	big, _, err := w.gh.PullRequests.ListFiles(ctx, "acme", "widgets", n, &github.ListOptions{PerPage: 500})
	if err != nil || len(big) != 100 {
		t.Errorf("per_page=500 gave %d files, %v", len(big), err)
	}
}

func TestListFilesCapsAtMaxFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t, WithMaxFiles(40))
	files := map[string]string{}
	for i := range 45 {
		files[fmt.Sprintf("f%02d", i)] = "x\n"
	}
	w.srv.Commit("acme", "widgets", "many", files, "Add")
	n := w.srv.OpenPR(PR{Owner: "acme", Repo: "widgets", Head: "many"})
	got, _, err := w.gh.PullRequests.ListFiles(t.Context(), "acme", "widgets", n, &github.ListOptions{PerPage: 100})
	if err != nil || len(got) != 40 {
		t.Fatalf("got %d files, %v; want the 40-file cap", len(got), err)
	}
}

func TestPullRequestLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	n := w.openDockerfilePR(t)
	pr, _, err := w.gh.PullRequests.Get(ctx, "acme", "widgets", n)
	if err != nil {
		t.Fatal(err)
	}
	if pr.GetHead().GetRef() != "feature" || pr.GetBase().GetSHA() != w.baseSH || pr.GetUser().GetLogin() != "alice" ||
		pr.GetHead().GetSHA() != w.srv.Ref("acme", "widgets", "feature") || pr.GetChangedFiles() != 1 {
		t.Errorf("pr = head %s@%s base %s user %s files %d", pr.GetHead().GetRef(), pr.GetHead().GetSHA(), pr.GetBase().GetSHA(), pr.GetUser().GetLogin(), pr.GetChangedFiles())
	}
	// A push moves the PR head.
	sha := w.srv.Push("acme", "widgets", n, map[string]string{"README.md": "# widgets!\n"}, "docs")
	pr, _, _ = w.gh.PullRequests.Get(ctx, "acme", "widgets", n)
	if pr.GetHead().GetSHA() != sha || pr.GetChangedFiles() != 2 {
		t.Errorf("after push: head %s files %d, want %s and 2", pr.GetHead().GetSHA(), pr.GetChangedFiles(), sha)
	}
	// The bot opens a follow-up PR against the PR branch; a second one for the same head is refused.
	w.srv.Commit("acme", "widgets", "distill/pr-1", map[string]string{"Dockerfile": "FROM scratch\n"}, "distroless")
	newPR := &github.NewPullRequest{Title: github.String("distroless"), Head: github.String("distill/pr-1"), Base: github.String("feature")}
	fu, resp, err := w.gh.PullRequests.Create(ctx, "acme", "widgets", newPR)
	if err != nil || resp.StatusCode != http.StatusCreated || fu.GetUser().GetLogin() != w.srv.BotLogin() {
		t.Fatalf("create = %v, %v", fu, err)
	}
	_, _, err = w.gh.PullRequests.Create(ctx, "acme", "widgets", newPR)
	er := errorResponse(t, err, http.StatusUnprocessableEntity)
	if er.Message != "Validation Failed" || len(er.Errors) != 1 || er.Errors[0].Message != "A pull request already exists for acme:distill/pr-1." {
		t.Errorf("duplicate PR error = %+v", er)
	}
	// list with head/base/state filters
	list, _, err := w.gh.PullRequests.List(ctx, "acme", "widgets", &github.PullRequestListOptions{Head: "acme:distill/pr-1"})
	if err != nil || len(list) != 1 || list[0].GetNumber() != fu.GetNumber() {
		t.Errorf("list head filter = %d PRs, %v", len(list), err)
	}
	closed, _, err := w.gh.PullRequests.Edit(ctx, "acme", "widgets", fu.GetNumber(), &github.PullRequest{State: github.String("closed"), Body: github.String("superseded")})
	if err != nil || closed.GetState() != "closed" || closed.GetBody() != "superseded" {
		t.Fatalf("edit = %v, %v", closed, err)
	}
	list, _, _ = w.gh.PullRequests.List(ctx, "acme", "widgets", &github.PullRequestListOptions{State: "open"})
	if len(list) != 1 || list[0].GetNumber() != n {
		t.Errorf("open PRs = %d", len(list))
	}
	got := w.srv.PullRequests("acme", "widgets")
	if len(got) != 2 || got[1].State != "closed" || got[1].User != w.srv.BotLogin() {
		t.Errorf("state = %+v", got)
	}
	raw, _, err := w.gh.PullRequests.GetRaw(ctx, "acme", "widgets", n, github.RawOptions{Type: github.Diff})
	if err != nil || !strings.Contains(raw, "diff --git a/Dockerfile b/Dockerfile\n") || !strings.Contains(raw, "+USER 65532") {
		t.Errorf("raw diff = %q, %v", raw, err)
	}
}

func TestForkPullRequest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.AddRepo(Repo{Owner: "mallory", Name: "widgets", ForkOf: "acme/widgets"})
	w.srv.Commit("mallory", "widgets", "patch-1", map[string]string{"Dockerfile": "FROM busybox\n"}, "x")
	n := w.srv.OpenPR(PR{Owner: "acme", Repo: "widgets", HeadRepo: "mallory/widgets", Head: "patch-1", Author: "mallory", MaintainerCanModify: true})
	pr, _, err := w.gh.PullRequests.Get(t.Context(), "acme", "widgets", n)
	if err != nil {
		t.Fatal(err)
	}
	if pr.GetHead().GetRepo().GetFullName() != "mallory/widgets" || !pr.GetHead().GetRepo().GetFork() || !pr.GetMaintainerCanModify() {
		t.Errorf("fork PR head = %s fork=%v canModify=%v", pr.GetHead().GetRepo().GetFullName(), pr.GetHead().GetRepo().GetFork(), pr.GetMaintainerCanModify())
	}
	files, _, err := w.gh.PullRequests.ListFiles(t.Context(), "acme", "widgets", n, nil)
	if err != nil || len(files) != 1 || files[0].GetStatus() != "modified" {
		t.Fatalf("files = %v, %v", files, err)
	}
	sha := w.srv.Push("acme", "widgets", n, map[string]string{"x": "y\n"}, "more")
	if w.srv.Ref("mallory", "widgets", "patch-1") != sha {
		t.Error("Push on a fork PR did not move the fork's branch")
	}
}

func TestRenameAndBinaryFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.CommitFiles("acme", "widgets", "mv", "move",
		File{Path: "README.md", Delete: true}, File{Path: "docs/README.md", Content: "# widgets\n"},
		File{Path: "logo.png", Content: "\x89PNG\x00\x00"}, File{Path: "run.sh", Content: "#!/bin/sh\n", Mode: ModeExecutable})
	n := w.srv.OpenPR(PR{Owner: "acme", Repo: "widgets", Head: "mv"})
	files, _, err := w.gh.PullRequests.ListFiles(t.Context(), "acme", "widgets", n, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name, Status, Prev string
		HasPatch           bool
	}
	var got []row
	for _, f := range files {
		got = append(got, row{f.GetFilename(), f.GetStatus(), f.GetPreviousFilename(), f.Patch != nil})
	}
	want := []row{
		{"docs/README.md", "renamed", "README.md", false},
		{"logo.png", "added", "", false},
		{"run.sh", "added", "", true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}
