package handlers

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
)

// Check handles check_run and check_suite "rerequested": the user asked
// to run distill again on a head, so its pull requests are reviewed again
// (the review itself is not posted twice; the check run is redone).
// https://docs.github.com/webhooks/webhook-events-and-payloads#check_run
type Check struct{ *Deps }

var _ EventHandler = (*Check)(nil)

// Handles implements EventHandler.
func (h *Check) Handles() []string { return []string{"check_run", "check_suite"} }

// Handle implements EventHandler.
func (h *Check) Handle(ctx context.Context, delivery string, payload []byte) error {
	var (
		action, sha string
		prs         []*github.PullRequest
		repo        *github.Repository
		inst        int64
	)
	var probe struct {
		Action string `json:"action"`
	}
	if err := json.Unmarshal(payload, &probe); err != nil {
		return river.JobCancel(fmt.Errorf("decoding check event %s: %w", delivery, err))
	}
	if probe.Action != "rerequested" {
		return skip("check action %q", probe.Action)
	}
	if ev := new(github.CheckRunEvent); json.Unmarshal(payload, ev) == nil && ev.CheckRun != nil {
		action, sha, prs, repo, inst = ev.GetAction(), ev.GetCheckRun().GetHeadSHA(), ev.GetCheckRun().PullRequests, ev.GetRepo(), ev.GetInstallation().GetID()
	} else if ev := new(github.CheckSuiteEvent); json.Unmarshal(payload, ev) == nil && ev.CheckSuite != nil {
		action, sha, prs, repo, inst = ev.GetAction(), ev.GetCheckSuite().GetHeadSHA(), ev.GetCheckSuite().PullRequests, ev.GetRepo(), ev.GetInstallation().GetID()
	}
	if len(prs) == 0 {
		return skip("%s for %s has no pull requests (fork heads are not attached to check suites)", action, sha)
	}
	log := h.logger(ctx).With("repo", repo.GetFullName())
	gh := h.GitHub.Installation(inst)
	for _, ref := range prs {
		pr, _, err := gh.PullRequests.Get(ctx, repo.GetOwner().GetLogin(), repo.GetName(), ref.GetNumber())
		if err != nil {
			return fmt.Errorf("getting %s#%d: %w", repo.GetFullName(), ref.GetNumber(), err)
		}
		if pr.GetHead().GetSHA() != sha {
			continue // an old head: its check is superseded
		}
		args := ReviewArgsFromPR(inst, repo, pr, delivery)
		args.Rerun = delivery
		if err := h.enqueueReview(ctx, log, args); err != nil {
			return err
		}
	}
	return nil
}
