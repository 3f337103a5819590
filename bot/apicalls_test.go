package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
)

// TestAPICallsPerReview counts the GitHub requests one review of a PR with
// k changed Dockerfiles costs (token minting excluded). The budget is
// k + 5 — list files, read the config, create and complete the check run,
// post the review, and one read per Dockerfile — plus the repository
// context: one tree call and one blob per manifest the converter reads
// (go.mod here).
func TestAPICallsPerReview(t *testing.T) {
	t.Parallel()
	for _, k := range []int{1, 3, 8} {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, bottest.Options{})
			gh := e.GitHub
			head := map[string]string{}
			base := map[string]string{".github/distill.yml": "fail_on: error\n"}
			for i := 0; i < k; i++ {
				dir := fmt.Sprintf("svc%d", i)
				head[dir+"/Dockerfile"] = goSlim
				base[dir+"/go.mod"] = "module example.com/" + dir + "\n\ngo 1.26\n"
				// Modified, not added: a new file's patch is the file, so
				// reading it costs nothing; this is the worst case.
				base[dir+"/Dockerfile"] = goCgo
			}
			n := sampleRepo(t, gh, base, head)
			before := len(gh.Requests())
			deliver(t, e, "pull_request", "d-1", gh.PullRequestEvent("opened", "acme", "shop", n))
			waitIdle(t, e)
			var calls, context int
			var lines []string
			for _, r := range gh.Requests()[before:] {
				if r.Path == "/app" || strings.HasPrefix(r.Path, "/app/") { // identity (once per process), tokens
					continue // installation token
				}
				calls++
				if strings.Contains(r.Path, "/git/trees/") || strings.Contains(r.Path, "/git/blobs/") {
					context++
				}
				lines = append(lines, r.Method+" "+r.Path)
			}
			t.Logf("k=%d: %d calls (%d for repository context):\n%s", k, calls, context, strings.Join(lines, "\n"))
			if got, budget := calls-context, k+5; got > budget {
				t.Errorf("review cost %d calls without context, budget k+5 = %d", got, budget)
			}
			if context != 1+k {
				t.Errorf("context cost %d calls, want one tree call and one go.mod blob per Dockerfile (%d)", context, 1+k)
			}
			if len(gh.Reviews("acme", "shop", n)) != 1 {
				t.Error("no review")
			}
			_ = githubtest.File{}
		})
	}
}
