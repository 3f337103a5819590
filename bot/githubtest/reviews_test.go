package githubtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// The PR from openDockerfilePR has one hunk:
//
//	@@ -1,5 +1,7 @@
//	-FROM golang:1.22        old 1
//	+FROM golang:1.23        new 1
//	 WORKDIR /src            old 2 / new 2
//	 COPY . .                old 3 / new 3
//	 RUN go build -o /app    old 4 / new 4
//	+USER 65532              new 5
//	+EXPOSE 8080             new 6
//	 CMD ["/app"]            old 5 / new 7

func comment(path string, line int, side string) *github.DraftReviewComment {
	return &github.DraftReviewComment{Path: github.String(path), Line: github.Int(line), Side: github.String(side), Body: github.String("note")}
}

func TestCreateReviewAcceptsLinesInTheDiff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	n := w.openDockerfilePR(t)
	head := w.srv.Ref("acme", "widgets", "feature")
	multi := &github.DraftReviewComment{
		Path: github.String("Dockerfile"), StartLine: github.Int(4), StartSide: github.String("RIGHT"),
		Line: github.Int(6), Side: github.String("RIGHT"),
		Body: github.String("Use distroless:\n```suggestion\nFROM gcr.io/distroless/static\nUSER nonroot\n```\n"),
	}
	req := &github.PullRequestReviewRequest{
		CommitID: github.String(head), Body: github.String("distill found 1 improvement"), Event: github.String("COMMENT"),
		Comments: []*github.DraftReviewComment{comment("Dockerfile", 5, "RIGHT"), comment("Dockerfile", 1, "LEFT"), comment("Dockerfile", 7, "RIGHT"), multi},
	}
	rv, resp, err := w.gh.PullRequests.CreateReview(t.Context(), "acme", "widgets", n, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || rv.GetState() != "COMMENTED" || rv.GetUser().GetLogin() != "distill-test[bot]" ||
		rv.GetCommitID() != head || !strings.Contains(rv.GetHTMLURL(), "#pullrequestreview-") {
		t.Errorf("review = %d %s %s %s %s", resp.StatusCode, rv.GetState(), rv.GetUser().GetLogin(), rv.GetCommitID(), rv.GetHTMLURL())
	}
	got := w.srv.Reviews("acme", "widgets", n)
	if len(got) != 1 || len(got[0].Comments) != 4 {
		t.Fatalf("stored = %+v", got)
	}
	m := got[0].Comments[3]
	if m.StartLine != 4 || m.Line != 6 || m.Side != "RIGHT" || m.Position != 7 ||
		!cmp.Equal(m.Suggestions, []string{"FROM gcr.io/distroless/static\nUSER nonroot\n"}) {
		t.Errorf("multi-line comment = %+v", m)
	}
	if !strings.HasSuffix(m.DiffHunk, "\n+EXPOSE 8080") || !strings.HasPrefix(m.DiffHunk, "@@ -1,5 +1,7 @@") {
		t.Errorf("diff_hunk = %q", m.DiffHunk)
	}
	// The recorded request decodes back to what the bot sent, for cmp.Diff in bot tests.
	sent := w.srv.RequestsTo("POST", "/repos/acme/widgets/pulls/*/reviews")[0]
	var decoded github.PullRequestReviewRequest
	if err := json.Unmarshal(sent.Body, &decoded); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(req, &decoded); diff != "" {
		t.Errorf("recorded request (-sent +recorded):\n%s", diff)
	}
	list, _, err := w.gh.PullRequests.ListReviews(t.Context(), "acme", "widgets", n, nil)
	if err != nil || len(list) != 1 || list[0].GetID() != rv.GetID() {
		t.Errorf("ListReviews = %v, %v", list, err)
	}
	comments, _, err := w.gh.PullRequests.ListComments(t.Context(), "acme", "widgets", n, nil)
	if err != nil || len(comments) != 4 || comments[3].GetStartLine() != 4 || comments[3].GetLine() != 6 {
		t.Errorf("ListComments = %d, %v", len(comments), err)
	}
}

func TestCreateReviewRejectsWholeReview(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		comment *github.DraftReviewComment
		want    string
	}{
		{"line outside the diff", comment("Dockerfile", 20, "RIGHT"),
			"Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"},
		{"added line on the LEFT side", comment("Dockerfile", 6, "LEFT"),
			"Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"},
		{"file not in the PR", comment("README.md", 1, "RIGHT"),
			"Pull request review thread path is invalid and Pull request review thread diff hunk can't be blank"},
		{"start_line equal to line", &github.DraftReviewComment{
			Path: github.String("Dockerfile"), StartLine: github.Int(5), StartSide: github.String("RIGHT"),
			Line: github.Int(5), Side: github.String("RIGHT"), Body: github.String("x")},
			"Pull request review thread start line must precede the end line."},
		{"range ending outside the diff", &github.DraftReviewComment{
			Path: github.String("Dockerfile"), StartLine: github.Int(6), StartSide: github.String("RIGHT"),
			Line: github.Int(12), Side: github.String("RIGHT"), Body: github.String("x")},
			"Pull request review thread line must be part of the diff, Pull request review thread start line must be part of the same hunk as the line., and Pull request review thread diff hunk can't be blank"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			n := w.openDockerfilePR(t)
			req := &github.PullRequestReviewRequest{
				Body: github.String("review"), Event: github.String("COMMENT"),
				Comments: []*github.DraftReviewComment{comment("Dockerfile", 5, "RIGHT"), tc.comment},
			}
			_, _, err := w.gh.PullRequests.CreateReview(t.Context(), "acme", "widgets", n, req)
			er := errorResponse(t, err, http.StatusUnprocessableEntity)
			if er.Message != "Unprocessable Entity" || len(er.Errors) != 1 || er.Errors[0].Message != tc.want {
				t.Errorf("error = %q %+v, want %q", er.Message, er.Errors, tc.want)
			}
			if got := w.srv.Reviews("acme", "widgets", n); len(got) != 0 {
				t.Errorf("a rejected review was stored: %+v", got)
			}
		})
	}
}

func TestCreateReviewRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	n := w.openDockerfilePR(t)
	_, _, err := w.gh.PullRequests.CreateReview(ctx, "acme", "widgets", n, &github.PullRequestReviewRequest{Event: github.String("COMMENT")})
	errorResponse(t, err, http.StatusUnprocessableEntity) // body required

	long := strings.Repeat("é", 65537)
	_, _, err = w.gh.PullRequests.CreateReview(ctx, "acme", "widgets", n, &github.PullRequestReviewRequest{Event: github.String("COMMENT"), Body: github.String(long)})
	er := errorResponse(t, err, http.StatusUnprocessableEntity)
	if len(er.Errors) != 1 || er.Errors[0].Message != "Body is too long (maximum is 65536 characters)" {
		t.Errorf("too long = %+v", er.Errors)
	}
	// 65,536 multi-byte characters are fine: the limit counts characters, not bytes.
	if _, _, err := w.gh.PullRequests.CreateReview(ctx, "acme", "widgets", n, &github.PullRequestReviewRequest{Event: github.String("COMMENT"), Body: github.String(long[2:])}); err != nil {
		t.Errorf("65,536 characters rejected: %v", err)
	}
	// The App cannot approve its own PR.
	w.srv.Commit("acme", "widgets", "distill/x", map[string]string{"Dockerfile": "FROM scratch\n"}, "x")
	own := w.srv.OpenPR(PR{Owner: "acme", Repo: "widgets", Head: "distill/x", Author: w.srv.BotLogin()})
	_, _, err = w.gh.PullRequests.CreateReview(ctx, "acme", "widgets", own, &github.PullRequestReviewRequest{Event: github.String("APPROVE")})
	er = errorResponse(t, err, http.StatusUnprocessableEntity)
	if er.Errors[0].Message != "Can not approve your own pull request" {
		t.Errorf("approve own = %+v", er.Errors)
	}
	// Pending review, then submit; dismissing a COMMENTED review is refused.
	pending, _, err := w.gh.PullRequests.CreateReview(ctx, "acme", "widgets", n, &github.PullRequestReviewRequest{Comments: []*github.DraftReviewComment{comment("Dockerfile", 2, "RIGHT")}})
	if err != nil || pending.GetState() != "PENDING" {
		t.Fatalf("pending = %v, %v", pending, err)
	}
	sub, _, err := w.gh.PullRequests.SubmitReview(ctx, "acme", "widgets", n, pending.GetID(), &github.PullRequestReviewRequest{Event: github.String("COMMENT"), Body: github.String("done")})
	if err != nil || sub.GetState() != "COMMENTED" {
		t.Fatalf("submit = %v, %v", sub, err)
	}
	_, _, err = w.gh.PullRequests.DismissReview(ctx, "acme", "widgets", n, sub.GetID(), &github.PullRequestReviewDismissalRequest{Message: github.String("stale")})
	er = errorResponse(t, err, http.StatusUnprocessableEntity)
	if er.Errors[0].Message != "Can not dismiss a commented pull request review" {
		t.Errorf("dismiss = %+v", er.Errors)
	}
	upd, _, err := w.gh.PullRequests.UpdateReview(ctx, "acme", "widgets", n, sub.GetID(), "edited")
	if err != nil || upd.GetBody() != "edited" {
		t.Errorf("update = %v, %v", upd, err)
	}
}

func TestCreateReviewCommentSingle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	n := w.openDockerfilePR(t)
	head := w.srv.Ref("acme", "widgets", "feature")
	c, resp, err := w.gh.PullRequests.CreateComment(ctx, "acme", "widgets", n, &github.PullRequestComment{
		CommitID: github.String(head), Path: github.String("Dockerfile"), Line: github.Int(5), Side: github.String("RIGHT"), Body: github.String("why 65532?"),
	})
	if err != nil || resp.StatusCode != http.StatusCreated || c.GetPosition() != 6 {
		t.Fatalf("comment = %v, %v", c, err)
	}
	_, _, err = w.gh.PullRequests.CreateComment(ctx, "acme", "widgets", n, &github.PullRequestComment{
		CommitID: github.String(head), Path: github.String("Dockerfile"), Line: github.Int(30), Side: github.String("RIGHT"), Body: github.String("x"),
	})
	er := errorResponse(t, err, http.StatusUnprocessableEntity)
	if er.Message != "Validation Failed" || er.Errors[0].Field != "pull_request_review_thread.line" ||
		er.Errors[0].Message != "pull_request_review_thread.line must be part of the diff" {
		t.Errorf("error = %+v", er)
	}
	edited, _, err := w.gh.PullRequests.EditComment(ctx, "acme", "widgets", c.GetID(), &github.PullRequestComment{Body: github.String("ok")})
	if err != nil || edited.GetBody() != "ok" {
		t.Errorf("edit = %v, %v", edited, err)
	}
}

func TestPositionStyleComments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	n := w.openDockerfilePR(t)
	_, _, err := w.gh.PullRequests.CreateReview(t.Context(), "acme", "widgets", n, &github.PullRequestReviewRequest{
		Body: github.String("b"), Event: github.String("COMMENT"),
		Comments: []*github.DraftReviewComment{{Path: github.String("Dockerfile"), Position: github.Int(6), Body: github.String("x")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := w.srv.Reviews("acme", "widgets", n)[0].Comments[0]
	if c.Line != 5 || c.Side != "RIGHT" {
		t.Errorf("position 6 mapped to %d %s, want 5 RIGHT", c.Line, c.Side)
	}
}
