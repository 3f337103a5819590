package followup

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/bot/ghapp"
	"github.com/distill-bot/distill/bot/githubtest"
)

const goSlim = "FROM golang:1.16-slim\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nEXPOSE 8080\nCMD [\"./main\"]\n"

func setup(t *testing.T) (*githubtest.Server, *Client) {
	t.Helper()
	srv := githubtest.New(t)
	srv.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: "shop", Files: map[string]string{"README.md": "shop\n", "api/Dockerfile": goSlim}})
	inst := srv.AddInstallation(githubtest.Installation{Account: "acme"})
	app, err := ghapp.New(ghapp.Config{AppID: srv.AppID(), PrivateKey: srv.PrivateKeyPEM(), BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &Client{GH: app.Installation(inst), BotLogin: srv.BotLogin()}
}

func convertFile(t *testing.T, p, src string) File {
	t.Helper()
	prop, err := analyzer.Convert([]byte(src), analyzer.ConvertOptions{Path: p})
	if err != nil {
		t.Fatal(err)
	}
	return File{Path: p, Original: []byte(src), Proposal: prop}
}

func TestPushCreatesUpdatesAndSkips(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	ctx := t.Context()
	base := srv.Ref("acme", "shop", "main")
	ch := Change{Owner: "acme", Repo: "shop", Branch: "distill/optimize-1", Parent: base,
		Files: []Blob{{Path: "api/Dockerfile", Content: []byte("FROM scratch\n")}}, Message: "distill: one"}

	res, err := c.Push(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Unchanged {
		t.Errorf("first push = %+v", res)
	}
	info, _ := srv.CommitAt("acme", "shop", "distill/optimize-1")
	if len(info.Parents) != 1 || info.Parents[0] != base || info.Message != "distill: one" {
		t.Errorf("commit %+v", info)
	}
	if !strings.HasPrefix(info.Author, srv.BotLogin()+" <") || info.Committer != "GitHub <noreply@github.com>" {
		t.Errorf("commit by %s / %s: want the App, so that GitHub signs it", info.Author, info.Committer)
	}
	files := srv.Files("acme", "shop", "distill/optimize-1")
	if files["api/Dockerfile"] != "FROM scratch\n" || files["README.md"] != "shop\n" {
		t.Errorf("files on the branch: %v (base_tree must keep the others)", files)
	}

	// The same change again writes nothing.
	before := srv.CountRequests(githubtest.Match("POST", "/repos/acme/shop/git/**"))
	res2, err := c.Push(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if !res2.Unchanged || res2.Commit != res.Commit {
		t.Errorf("second push = %+v, want unchanged %s", res2, res.Commit)
	}
	if after := srv.CountRequests(githubtest.Match("POST", "/repos/acme/shop/git/**")); after != before {
		t.Errorf("an unchanged push made %d writes", after-before)
	}

	// A new parent (a push to the source branch) rebuilds the branch on it:
	// still one commit, force-updated.
	newBase := srv.Commit("acme", "shop", "main", map[string]string{"README.md": "shop v2\n"}, "docs")
	ch.Parent, ch.Message = newBase, "distill: two"
	res3, err := c.Push(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if res3.Created || res3.Unchanged || res3.Commit == res.Commit {
		t.Errorf("third push = %+v", res3)
	}
	info, _ = srv.CommitAt("acme", "shop", "distill/optimize-1")
	if len(info.Parents) != 1 || info.Parents[0] != newBase {
		t.Errorf("rebuilt commit has parents %v, want [%s]", info.Parents, newBase)
	}
	if got := srv.Files("acme", "shop", "distill/optimize-1")["README.md"]; got != "shop v2\n" {
		t.Errorf("README on the branch = %q", got)
	}
	if n := srv.CountRequests(githubtest.Match("PATCH", "/repos/acme/shop/git/refs/heads/distill/optimize-1")); n != 1 {
		t.Errorf("ref updates = %d, want 1", n)
	}
}

func TestPushLeavesForeignCommitsAlone(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	base := srv.Ref("acme", "shop", "main")
	srv.Commit("acme", "shop", "distill/optimize-1", map[string]string{"api/Dockerfile": "FROM x\n"}, "my own fix")
	_, err := c.Push(t.Context(), Change{Owner: "acme", Repo: "shop", Branch: "distill/optimize-1", Parent: base,
		Files: []Blob{{Path: "api/Dockerfile", Content: []byte("FROM scratch\n")}}, Message: "m"})
	if !errors.Is(err, ErrForeignCommits) {
		t.Fatalf("err = %v, want ErrForeignCommits", err)
	}
	if got, _ := srv.FileAt("acme", "shop", "distill/optimize-1", "api/Dockerfile"); got != "FROM x\n" {
		t.Errorf("the user's commit was overwritten: %q", got)
	}
}

func TestEnsurePullOpensOnceAndUpdates(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	ctx := t.Context()
	base := srv.Ref("acme", "shop", "main")
	res, err := c.Push(ctx, Change{Owner: "acme", Repo: "shop", Branch: "distill/x", Parent: base, Files: []Blob{{Path: "a", Content: []byte("a\n")}}, Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	spec := PullSpec{Owner: "acme", Repo: "shop", Head: "distill/x", Base: "main", Title: "T", Body: "B", NewBranch: res.Created}
	p, err := c.EnsurePull(ctx, spec)
	if err != nil || !p.Created || p.Number == 0 {
		t.Fatalf("EnsurePull = %+v, %v", p, err)
	}
	// Again, with a new body: the same pull request, edited.
	spec.Body, spec.NewBranch = "B2", false
	p2, err := c.EnsurePull(ctx, spec)
	if err != nil || p2.Created || p2.Number != p.Number {
		t.Fatalf("second EnsurePull = %+v, %v", p2, err)
	}
	// A caller that wrongly believes the branch is new meets GitHub's 422
	// and still updates the open one.
	spec.Body, spec.NewBranch = "B3", true
	p3, err := c.EnsurePull(ctx, spec)
	if err != nil || p3.Created || p3.Number != p.Number {
		t.Fatalf("EnsurePull after a 422 = %+v, %v", p3, err)
	}
	prs := srv.PullRequests("acme", "shop")
	if len(prs) != 1 || prs[0].Body != "B3" || prs[0].BaseRef != "main" || prs[0].HeadRef != "distill/x" {
		t.Errorf("pull requests = %+v", prs)
	}
	closed, err := c.Close(ctx, "acme", "shop", p.Number, "obsolete")
	if err != nil || !closed {
		t.Fatalf("Close = %v, %v", closed, err)
	}
	if closed, err := c.Close(ctx, "acme", "shop", p.Number, "obsolete"); err != nil || closed {
		t.Errorf("closing twice = %v, %v", closed, err)
	}
	if cs := srv.IssueComments("acme", "shop", p.Number); len(cs) != 1 || cs[0].Body != "obsolete" {
		t.Errorf("comments = %+v", cs)
	}
}

func TestBlobSHA(t *testing.T) {
	t.Parallel()
	// git hash-object of "hello\n".
	if got := BlobSHA([]byte("hello\n")); got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("BlobSHA = %s", got)
	}
}

// The fork patch applies with git.
func TestPatchApplies(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	f := convertFile(t, "api/Dockerfile", goSlim)
	if !f.Converted() {
		t.Fatalf("no conversion: %+v", f.Proposal)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "api"), 0o755)
	os.WriteFile(filepath.Join(dir, "api/Dockerfile"), []byte(goSlim), 0o644)
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	comments := PatchComments(PatchInput{Source: Source{Number: 2, PullRequest: true, Ref: "feature", SHA: "0123456789"}, HeadRepo: "bob/shop", Files: []File{f}, Marker: "<!-- m -->"})
	if len(comments) != 1 {
		t.Fatalf("%d comments", len(comments))
	}
	patch := extractPatch(t, comments[0])
	os.WriteFile(filepath.Join(dir, "distill.patch"), []byte(patch), 0o644)
	if out, err := exec.Command("git", "-C", dir, "apply", "distill.patch").CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\npatch:\n%s", err, out, patch)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "api/Dockerfile"))
	if string(got) != string(f.Proposal.Dockerfile) {
		t.Errorf("applied file:\n%s\nwant:\n%s", got, f.Proposal.Dockerfile)
	}
	for _, s := range []string{"`bob/shop`", "git apply distill.patch", "Save this as `distill.patch`", "<!-- m -->"} {
		if !strings.Contains(comments[0], s) {
			t.Errorf("comment lacks %q", s)
		}
	}
}

// extractPatch returns the contents of the ```diff blocks of a comment.
func extractPatch(t *testing.T, comment string) string {
	t.Helper()
	var out []string
	in := false
	for _, l := range strings.Split(comment, "\n") {
		switch {
		case !in && strings.HasPrefix(l, "```") && strings.HasSuffix(l, "diff"):
			in = true
		case in && strings.HasPrefix(l, "```"):
			in = false
		case in:
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// Long patches are split over comments within GitHub's limit; each part
// holds whole files.
func TestPatchCommentsSplit(t *testing.T) {
	t.Parallel()
	var files []File
	for i := 0; i < 12; i++ {
		// Long RUN lines make each patch about 9 KB.
		src := goSlim + "RUN echo " + strings.Repeat("x", 9000) + "\n"
		src = strings.Replace(src, "CMD", "RUN true\nCMD", 1)
		f := convertFile(t, "svc"+string(rune('a'+i))+"/Dockerfile", src)
		if !f.Converted() {
			t.Skipf("no conversion for the long file: %+v", f.Proposal.Decline)
		}
		files = append(files, f)
	}
	comments := PatchComments(PatchInput{Source: Source{Number: 2, PullRequest: true, Ref: "f", SHA: "abc"}, HeadRepo: "bob/shop", Files: files, Marker: "<!-- m -->"})
	if len(comments) < 2 {
		t.Fatalf("%d comments, want several", len(comments))
	}
	seen := 0
	for i, c := range comments {
		if len(c) > MaxBody {
			t.Errorf("comment %d is %d characters", i, len(c))
		}
		if !strings.HasSuffix(c, "<!-- m -->\n") {
			t.Errorf("comment %d lacks the marker", i)
		}
		seen += strings.Count(c, "diff --git ")
	}
	if seen != len(files) {
		t.Errorf("%d file patches across comments, want %d", seen, len(files))
	}
}
