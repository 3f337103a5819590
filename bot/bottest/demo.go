package bottest

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/distill-bot/distill/bot/githubtest"
)

//go:embed demo.txtar
var demoArchive []byte

// DemoFiles returns the sample projects of the demo by path
// ("go-slim-tag/Dockerfile"); they are testdata/examples.
func DemoFiles() map[string]string {
	out := map[string]string{}
	for _, f := range txtar.Parse(demoArchive).Files {
		out[f.Name] = string(f.Data)
	}
	return out
}

// Demo runs distill against the fake GitHub on a sample repository whose
// pull request adds three Dockerfiles with the classic mistakes (Python
// packages lost between stages, a golang tag that never existed, Java
// options that need a shell), and writes the review and the check run to
// out as GitHub would show them.
func Demo(ctx context.Context, out io.Writer, log io.Writer) error {
	e, err := Start(ctx, Options{Log: log})
	if err != nil {
		return err
	}
	defer e.Close()
	gh := e.GitHub
	files := DemoFiles()
	base := map[string]string{"README.md": "# shop\n"}
	head := map[string]string{}
	for p, c := range files {
		if strings.HasSuffix(p, "Dockerfile") {
			head[p] = c
		} else {
			base[p] = c
		}
	}
	gh.AddRepo(githubtest.Repo{Owner: "acme", OwnerType: "Organization", Name: "shop", Files: base})
	gh.AddInstallation(githubtest.Installation{Account: "acme", Repositories: []string{"acme/shop"}})
	gh.Commit("acme", "shop", "containerize", head, "Add Dockerfiles")
	n := gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "shop", Head: "containerize", Title: "Containerize the services", Author: "alice"})

	fmt.Fprintf(out, "# distill demo\n\nA fake GitHub is serving `acme/shop`; pull request #%d adds %d Dockerfiles.\n", n, len(head))
	fmt.Fprintf(out, "distill is listening on %s and receives a signed `pull_request` webhook over HTTP.\n\n", e.URL+e.Config.WebhookPath)
	start := time.Now()
	code, err := e.Deliver(ctx, "pull_request", "demo-delivery-1", gh.PullRequestEvent("opened", "acme", "shop", n))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Webhook answered %d in %s; the review runs as a queued job.\n\n", code, time.Since(start).Round(time.Millisecond))
	if err := e.WaitIdle(ctx, 2*time.Minute); err != nil {
		return err
	}
	reviews := gh.Reviews("acme", "shop", n)
	if len(reviews) == 0 {
		return fmt.Errorf("distill posted no review (run with --log to see why)")
	}
	r := reviews[0]
	fmt.Fprintf(out, "---\n\n# Review by @%s (%s)\n\n%s\n", r.User, strings.ToLower(r.State), r.Body)
	for i, c := range r.Comments {
		lines := fmt.Sprintf("line %d", c.Line)
		if c.StartLine > 0 {
			lines = fmt.Sprintf("lines %d–%d", c.StartLine, c.Line)
		}
		fmt.Fprintf(out, "---\n\n## Inline comment %d of %d — `%s`, %s\n\n%s\n\n", i+1, len(r.Comments), c.Path, lines, c.Body)
	}
	for _, cr := range gh.CheckRuns("acme", "shop", r.CommitID) {
		fmt.Fprintf(out, "---\n\n# Check run `%s`: %s (%s)\n\n**%s**\n\n%s\n", cr.Name, cr.Status, cr.Conclusion, cr.Title, cr.Summary)
		for _, a := range cr.Annotations {
			fmt.Fprintf(out, "- `%s:%d` %s **%s**: %s\n", a.Path, a.StartLine, a.AnnotationLevel, a.Title, a.Message)
		}
	}
	fmt.Fprintf(out, "\n---\n\nGitHub API requests made by distill for this review: %d. Comment `/optimize` on the PR to get the conversion as a pull request.\n", countCalls(gh))
	return nil
}

// countCalls counts distill's requests, without App authentication.
func countCalls(gh *githubtest.Server) int {
	n := 0
	for _, r := range gh.Requests() {
		if r.Path == "/app" || strings.HasPrefix(r.Path, "/app/") {
			continue
		}
		n++
	}
	return n
}
