package githubtest

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestIssueCommentsReactionsAndPermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	n := w.openDockerfilePR(t)
	w.srv.SetPermission("acme", "widgets", "alice", "maintain")
	cmd := w.srv.AddIssueComment("acme", "widgets", n, "alice", "/optimize")

	perm, _, err := w.gh.Repositories.GetPermissionLevel(ctx, "acme", "widgets", "alice")
	if err != nil || perm.GetPermission() != "write" {
		t.Fatalf("permission = %v, %v", perm, err)
	}
	perm, _, _ = w.gh.Repositories.GetPermissionLevel(ctx, "acme", "widgets", "stranger")
	if perm.GetPermission() != "read" {
		t.Errorf("public repo default = %s, want read", perm.GetPermission())
	}
	r1, resp, err := w.gh.Reactions.CreateIssueCommentReaction(ctx, "acme", "widgets", cmd, "eyes")
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("first reaction: %v %v", resp, err)
	}
	r2, resp, err := w.gh.Reactions.CreateIssueCommentReaction(ctx, "acme", "widgets", cmd, "eyes")
	if err != nil || resp.StatusCode != http.StatusOK || r2.GetID() != r1.GetID() {
		t.Fatalf("second reaction: status %d id %d/%d %v", resp.StatusCode, r2.GetID(), r1.GetID(), err)
	}
	if got := w.srv.Reactions("acme", "widgets", cmd); len(got) != 1 || got[0].User != w.srv.BotLogin() {
		t.Errorf("reactions = %+v", got)
	}
	c, resp, err := w.gh.Issues.CreateComment(ctx, "acme", "widgets", n, &github.IssueComment{Body: github.String("on it")})
	if err != nil || resp.StatusCode != http.StatusCreated || c.GetUser().GetLogin() != w.srv.BotLogin() {
		t.Fatalf("comment = %v, %v", c, err)
	}
	if _, _, err := w.gh.Issues.EditComment(ctx, "acme", "widgets", c.GetID(), &github.IssueComment{Body: github.String("done")}); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.gh.Issues.CreateComment(ctx, "acme", "widgets", n, &github.IssueComment{Body: github.String(strings.Repeat("x", 65537))})
	er := errorResponse(t, err, http.StatusUnprocessableEntity)
	if er.Errors[0].Resource != "IssueComment" || er.Errors[0].Message != "Body is too long (maximum is 65536 characters)" {
		t.Errorf("too long = %+v", er.Errors)
	}
	for i := range 35 {
		w.srv.AddIssueComment("acme", "widgets", n, "bob", "+1 "+itoa(int64(i)))
	}
	page, resp, err := w.gh.Issues.ListComments(ctx, "acme", "widgets", n, nil)
	if err != nil || len(page) != 30 || resp.NextPage != 2 {
		t.Fatalf("list comments: %d next %d %v", len(page), resp.NextPage, err)
	}
	if page[1].GetBody() != "done" {
		t.Errorf("edited comment = %q", page[1].GetBody())
	}
	got := w.srv.IssueComments("acme", "widgets", n)
	if len(got) != 37 || got[0].Body != "/optimize" || got[0].User != "alice" {
		t.Errorf("stored comments: %d, first %+v", len(got), got[0])
	}
	// Issues: create, list by creator, close.
	is, _, err := w.gh.Issues.Create(ctx, "acme", "widgets", &github.IssueRequest{Title: github.String("distill: config error")})
	if err != nil || is.GetNumber() != n+1 {
		t.Fatalf("issue = %v, %v", is, err)
	}
	list, _, err := w.gh.Issues.ListByRepo(ctx, "acme", "widgets", &github.IssueListByRepoOptions{Creator: w.srv.BotLogin()})
	if err != nil || len(list) != 1 || list[0].GetNumber() != is.GetNumber() {
		t.Errorf("list by creator = %d, %v", len(list), err)
	}
	closed, _, err := w.gh.Issues.Edit(ctx, "acme", "widgets", is.GetNumber(), &github.IssueRequest{State: github.String("closed")})
	if err != nil || closed.GetState() != "closed" {
		t.Errorf("close = %v, %v", closed, err)
	}
	prIssue, _, err := w.gh.Issues.Get(ctx, "acme", "widgets", n)
	if err != nil || !prIssue.IsPullRequest() {
		t.Errorf("PR as issue = %v, %v", prIssue, err)
	}
}

func TestPrivateRepoPermissionDefault(t *testing.T) {
	t.Parallel()
	srv := New(t)
	srv.AddRepo(Repo{Owner: "acme", Name: "vault", Private: true, Files: map[string]string{"a": "b\n"}})
	inst := srv.AddInstallation(Installation{Account: "acme"})
	gh, _ := installationClient(t, srv, inst)
	perm, _, err := gh.Repositories.GetPermissionLevel(t.Context(), "acme", "vault", "stranger")
	if err != nil || perm.GetPermission() != "none" {
		t.Errorf("private default = %v, %v", perm, err)
	}
}

func TestCheckRuns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	n := w.openDockerfilePR(t)
	head := w.srv.Ref("acme", "widgets", "feature")
	ann := func(k int) []*github.CheckRunAnnotation {
		var out []*github.CheckRunAnnotation
		for i := range k {
			out = append(out, &github.CheckRunAnnotation{Path: github.String("Dockerfile"), StartLine: github.Int(i + 1), EndLine: github.Int(i + 1), AnnotationLevel: github.String("warning"), Message: github.String("m")})
		}
		return out
	}
	_, _, err := w.gh.Checks.CreateCheckRun(ctx, "acme", "widgets", github.CreateCheckRunOptions{
		Name: "distill", HeadSHA: head, Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: ann(51)},
	})
	errorResponse(t, err, http.StatusUnprocessableEntity)
	_, _, err = w.gh.Checks.CreateCheckRun(ctx, "acme", "widgets", github.CreateCheckRunOptions{Name: "distill", HeadSHA: head, Status: github.String("completed")})
	errorResponse(t, err, http.StatusUnprocessableEntity) // completed needs a conclusion
	cr, resp, err := w.gh.Checks.CreateCheckRun(ctx, "acme", "widgets", github.CreateCheckRunOptions{
		Name: "distill", HeadSHA: head, Status: github.String("in_progress"),
		Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: ann(50)},
	})
	if err != nil || resp.StatusCode != http.StatusCreated || len(cr.PullRequests) != 1 || cr.PullRequests[0].GetNumber() != n {
		t.Fatalf("create = %v, %v", cr, err)
	}
	_, _, err = w.gh.Checks.UpdateCheckRun(ctx, "acme", "widgets", cr.GetID(), github.UpdateCheckRunOptions{
		Name: "distill", Conclusion: github.String("neutral"),
		Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("done"), Annotations: ann(3)},
	})
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := w.gh.Checks.ListCheckRunsForRef(ctx, "acme", "widgets", "feature", nil)
	if err != nil || list.GetTotal() != 1 || list.CheckRuns[0].GetStatus() != "completed" || list.CheckRuns[0].GetOutput().GetAnnotationsCount() != 53 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	got := w.srv.CheckRuns("acme", "widgets", head)
	if len(got) != 1 || len(got[0].Annotations) != 53 || got[0].Conclusion != "neutral" || got[0].Summary != "done" {
		t.Errorf("stored = %+v", got)
	}
}

func TestGitDataFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	g := w.gh.Git
	ref, _, err := g.GetRef(ctx, "acme", "widgets", "heads/main")
	if err != nil {
		t.Fatal(err)
	}
	base, _, err := g.GetCommit(ctx, "acme", "widgets", ref.GetObject().GetSHA())
	if err != nil {
		t.Fatal(err)
	}
	blob, _, err := g.CreateBlob(ctx, "acme", "widgets", &github.Blob{Content: github.String("RlJPTSBzY3JhdGNoCg=="), Encoding: github.String("base64")})
	if err != nil || blob.GetSHA() != hashObject(kindBlob, []byte("FROM scratch\n")) {
		t.Fatalf("blob = %v, %v", blob, err)
	}
	tree, _, err := g.CreateTree(ctx, "acme", "widgets", base.GetTree().GetSHA(), []*github.TreeEntry{
		{Path: github.String("Dockerfile"), Mode: github.String("100644"), Type: github.String("blob"), SHA: blob.SHA},
		{Path: github.String("deploy/distroless/NOTES.md"), Mode: github.String("100644"), Type: github.String("blob"), Content: github.String("notes\n")},
		{Path: github.String("README.md"), Mode: github.String("100644"), Type: github.String("blob")}, // sha: null deletes
	})
	if err != nil {
		t.Fatal(err)
	}
	commit, _, err := g.CreateCommit(ctx, "acme", "widgets", &github.Commit{
		Message: github.String("distill: distroless"), Tree: &github.Tree{SHA: tree.SHA}, Parents: []*github.Commit{{SHA: base.SHA}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !commit.GetVerification().GetVerified() || commit.GetAuthor().GetName() != w.srv.BotLogin() {
		t.Errorf("bot commit without author: verified=%v author=%s", commit.GetVerification().GetVerified(), commit.GetAuthor().GetName())
	}
	newRef, resp, err := g.CreateRef(ctx, "acme", "widgets", &github.Reference{Ref: github.String("refs/heads/distill/pr-1"), Object: &github.GitObject{SHA: commit.SHA}})
	if err != nil || resp.StatusCode != http.StatusCreated || newRef.GetObject().GetSHA() != commit.GetSHA() {
		t.Fatalf("create ref = %v, %v", newRef, err)
	}
	_, _, err = g.CreateRef(ctx, "acme", "widgets", &github.Reference{Ref: github.String("refs/heads/distill/pr-1"), Object: &github.GitObject{SHA: commit.SHA}})
	if er := errorResponse(t, err, http.StatusUnprocessableEntity); er.Message != "Reference already exists" {
		t.Errorf("existing ref = %q", er.Message)
	}
	files := w.srv.Files("acme", "widgets", "distill/pr-1")
	if files["Dockerfile"] != "FROM scratch\n" || files["deploy/distroless/NOTES.md"] != "notes\n" || files["cmd/app/main.go"] != "package main\n" {
		t.Errorf("files = %v", files)
	}
	if _, ok := files["README.md"]; ok {
		t.Error("sha: null did not delete README.md")
	}
	// Nested branch names work in get-ref.
	if r, _, err := g.GetRef(ctx, "acme", "widgets", "heads/distill/pr-1"); err != nil || r.GetObject().GetSHA() != commit.GetSHA() {
		t.Errorf("get nested ref = %v, %v", r, err)
	}
	// main moves on; updating distill/pr-1 to it is not a fast forward unless forced.
	other := w.srv.Commit("acme", "widgets", "main", map[string]string{"x": "1\n"}, "x")
	_, _, err = g.UpdateRef(ctx, "acme", "widgets", &github.Reference{Ref: github.String("heads/distill/pr-1"), Object: &github.GitObject{SHA: github.String(other)}}, false)
	if er := errorResponse(t, err, http.StatusUnprocessableEntity); er.Message != "Update is not a fast forward" {
		t.Errorf("non-ff = %q", er.Message)
	}
	if _, _, err := g.UpdateRef(ctx, "acme", "widgets", &github.Reference{Ref: github.String("heads/distill/pr-1"), Object: &github.GitObject{SHA: github.String(other)}}, true); err != nil {
		t.Errorf("forced update: %v", err)
	}
	child := w.srv.Commit("acme", "widgets", "main", map[string]string{"y": "2\n"}, "y")
	if _, _, err := g.UpdateRef(ctx, "acme", "widgets", &github.Reference{Ref: github.String("heads/distill/pr-1"), Object: &github.GitObject{SHA: github.String(child)}}, false); err != nil {
		t.Errorf("fast-forward update: %v", err)
	}
	_, _, err = g.CreateRef(ctx, "acme", "widgets", &github.Reference{Ref: github.String("refs/x"), Object: &github.GitObject{SHA: github.String(child)}})
	errorResponse(t, err, http.StatusUnprocessableEntity) // needs two slashes
	_, _, err = g.CreateTree(ctx, "acme", "widgets", "", []*github.TreeEntry{{Path: github.String("a"), Mode: github.String("100644"), Type: github.String("blob"), SHA: blob.SHA, Content: github.String("x")}})
	errorResponse(t, err, http.StatusUnprocessableEntity) // sha and content together
	full, _, err := g.GetTree(ctx, "acme", "widgets", tree.GetSHA(), true)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range full.Entries {
		paths = append(paths, e.GetPath())
	}
	if !strings.Contains(strings.Join(paths, ","), "deploy/distroless/NOTES.md") {
		t.Errorf("recursive tree = %v", paths)
	}
	if _, err := g.DeleteRef(ctx, "acme", "widgets", "heads/distill/pr-1"); err != nil {
		t.Fatal(err)
	}
	if w.srv.Ref("acme", "widgets", "distill/pr-1") != "" {
		t.Error("ref not deleted")
	}
}

func TestContents(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	big := strings.Repeat("0123456789abcdef", 70000) // 1.12 MB
	w.srv.Commit("acme", "widgets", "main", map[string]string{"assets/big.bin": big, "deploy/Dockerfile": "FROM nginx\n"}, "more")
	file, _, _, err := w.gh.Repositories.GetContents(ctx, "acme", "widgets", "Dockerfile", &github.RepositoryContentGetOptions{Ref: "main"})
	if err != nil {
		t.Fatal(err)
	}
	content, err := file.GetContent()
	if err != nil || content != dockerfile || file.GetEncoding() != "base64" {
		t.Errorf("file = %q %v", content, err)
	}
	_, dir, _, err := w.gh.Repositories.GetContents(ctx, "acme", "widgets", "deploy", nil)
	if err != nil || len(dir) != 1 || dir[0].GetType() != "file" || dir[0].GetPath() != "deploy/Dockerfile" {
		t.Fatalf("dir = %v, %v", dir, err)
	}
	_, root, _, err := w.gh.Repositories.GetContents(ctx, "acme", "widgets", "", nil)
	if err != nil || len(root) != 5 {
		t.Fatalf("root listing: %d entries, %v", len(root), err)
	}
	large, _, _, err := w.gh.Repositories.GetContents(ctx, "acme", "widgets", "assets/big.bin", nil)
	if err != nil || large.GetEncoding() != "none" || large.GetSize() != len(big) {
		t.Fatalf("large = %v, %v", large, err)
	}
	if _, err := large.GetContent(); err == nil {
		t.Error("GetContent of a >1 MB file did not fail")
	}
	rc, resp, err := w.gh.Repositories.DownloadContents(ctx, "acme", "widgets", "assets/big.bin", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("download: %v %v", resp, err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != big {
		t.Errorf("download returned %d bytes", len(got))
	}
	rc, _, err = w.gh.Repositories.DownloadContents(ctx, "acme", "widgets", "Dockerfile", &github.RepositoryContentGetOptions{Ref: w.baseSH})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(rc)
	rc.Close()
	if string(got) != dockerfile {
		t.Errorf("root download = %q", got)
	}
	// Raw media type.
	req, _ := w.gh.NewRequest("GET", "repos/acme/widgets/contents/deploy/Dockerfile", nil)
	req.Header.Set("Accept", "application/vnd.github.raw")
	var sb strings.Builder
	resp, err = w.gh.Do(ctx, req, &sb)
	if err != nil || sb.String() != "FROM nginx\n" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.github.raw") {
		t.Errorf("raw = %q %v", sb.String(), err)
	}
	_, _, _, err = w.gh.Repositories.GetContents(ctx, "acme", "widgets", "nope", nil)
	errorResponse(t, err, http.StatusNotFound)
	_, _, _, err = w.gh.Repositories.GetContents(ctx, "acme", "widgets", "Dockerfile", &github.RepositoryContentGetOptions{Ref: "no-such-branch"})
	errorResponse(t, err, http.StatusNotFound)
}

func TestTarball(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	u, resp, err := w.gh.Repositories.GetArchiveLink(ctx, "acme", "widgets", github.Tarball, &github.RepositoryContentGetOptions{Ref: "main"}, 0)
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("archive link = %v %v", resp, err)
	}
	dl, err := w.srv.Client().Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Body.Close()
	gz, err := gzip.NewReader(dl.Body)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	prefix := "acme-widgets-" + w.baseSH[:7] + "/"
	found := map[string]string{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeXGlobalHeader {
			if h.PAXRecords["comment"] != w.baseSH {
				t.Errorf("pax comment = %q, want the commit id", h.PAXRecords["comment"])
			}
			continue
		}
		if !strings.HasPrefix(h.Name, prefix) {
			t.Errorf("entry %q outside %q", h.Name, prefix)
		}
		if h.Typeflag == tar.TypeReg {
			b, _ := io.ReadAll(tr)
			found[strings.TrimPrefix(h.Name, prefix)] = string(b)
		}
	}
	if found["Dockerfile"] != dockerfile || found["cmd/app/main.go"] != "package main\n" {
		t.Errorf("tarball files = %v", found)
	}
}

func TestFaultInjection(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	t.Run("secondary limit with Retry-After", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		w.srv.Inject(SecondaryRateLimit("/repos/acme/widgets/pulls/**", 30*time.Second))
		_, _, err := w.gh.PullRequests.Get(ctx, "acme", "widgets", 1)
		var ae *github.AbuseRateLimitError
		if !errors.As(err, &ae) || ae.RetryAfter == nil || *ae.RetryAfter != 30*time.Second {
			t.Fatalf("err = %T %v", err, err)
		}
	})
	t.Run("secondary limit without Retry-After, newer URL", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		w.srv.Inject(SecondaryRateLimitCurrent("/repos/**", 0))
		_, _, err := w.gh.Repositories.Get(ctx, "acme", "widgets")
		var ae *github.AbuseRateLimitError
		if !errors.As(err, &ae) {
			t.Fatalf("err = %T %v", err, err)
		}
	})
	t.Run("primary limit", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		w.srv.Inject(PrimaryRateLimit("/repos/acme/widgets", w.srv.Now().Add(time.Hour)))
		_, _, err := w.gh.Repositories.Get(ctx, "acme", "widgets")
		var re *github.RateLimitError
		if !errors.As(err, &re) || re.Rate.Remaining != 0 {
			t.Fatalf("err = %T %v", err, err)
		}
	})
	t.Run("429 is a plain ErrorResponse in v62", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		w.srv.Inject(TooManyRequests("/repos/acme/widgets", time.Minute))
		_, resp, err := w.gh.Repositories.Get(ctx, "acme", "widgets")
		er := errorResponse(t, err, http.StatusTooManyRequests)
		if resp.Header.Get("Retry-After") != "60" || er == nil {
			t.Errorf("429 headers = %v", resp.Header)
		}
	})
	t.Run("5xx then success, in order", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		w.srv.Inject(ServerError("/repos/acme/widgets", 502), Fault{Method: "GET", Path: "/repos/acme/widgets", Status: 503, Times: 1})
		_, _, err := w.gh.Repositories.Get(ctx, "acme", "widgets")
		errorResponse(t, err, 502)
		_, _, err = w.gh.Repositories.Get(ctx, "acme", "widgets")
		errorResponse(t, err, 503)
		if _, _, err := w.gh.Repositories.Get(ctx, "acme", "widgets"); err != nil {
			t.Errorf("third call: %v", err)
		}
	})
	t.Run("latency", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		w.srv.Inject(Slow("/repos/acme/widgets", 2*time.Second))
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, _, err := w.gh.Repositories.Get(short, "acme", "widgets")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
	})
	t.Run("real primary limit", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, WithRateLimit(3))
		var resp *github.Response
		var err error
		for range 3 {
			if _, resp, err = w.gh.Repositories.Get(ctx, "acme", "widgets"); err != nil {
				t.Fatal(err)
			}
		}
		if resp.Rate.Limit != 3 || resp.Rate.Remaining != 0 {
			t.Fatalf("rate after 3 calls = %+v", resp.Rate)
		}
		// go-github now refuses client-side until the reset; the server refuses too.
		_, _, err = w.gh.Repositories.Get(ctx, "acme", "widgets")
		var re *github.RateLimitError
		if !errors.As(err, &re) {
			t.Fatalf("err = %T %v", err, err)
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", w.srv.APIURL()+"repos/acme/widgets", nil)
		req.Header.Set("Authorization", "token "+w.srv.IssueToken(w.inst))
		raw, err := w.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, raw)
		if raw.StatusCode != 403 || raw.Header.Get("X-RateLimit-Remaining") != "0" || !strings.Contains(body, "API rate limit exceeded for installation ID") {
			t.Errorf("server answer = %d %s", raw.StatusCode, body)
		}
		if w.srv.RateLimitRemaining(w.inst) != 0 {
			t.Errorf("remaining = %d", w.srv.RateLimitRemaining(w.inst))
		}
	})
}
