package handlers

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
)

// Push handles pushes to the default branch of a repository that has an
// open distill report: the branch is scanned again and the same issue
// updated. Pushes to other branches reach distill as pull_request events.
// https://docs.github.com/webhooks/webhook-events-and-payloads#push
type Push struct{ *Deps }

var _ EventHandler = (*Push)(nil)

// Handles implements EventHandler.
func (h *Push) Handles() []string { return []string{"push"} }

// Handle implements EventHandler.
func (h *Push) Handle(ctx context.Context, delivery string, payload []byte) error {
	var ev github.PushEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return river.JobCancel(fmt.Errorf("decoding push %s: %w", delivery, err))
	}
	repo := ev.GetRepo()
	branch := repo.GetDefaultBranch()
	if ev.GetDeleted() || branch == "" || ev.GetRef() != "refs/heads/"+branch {
		return skip("push to %s, not the default branch", ev.GetRef())
	}
	full := repo.GetFullName()
	rep, err := h.DB.GetReport(ctx, full)
	if err != nil {
		return err
	}
	if rep == nil || rep.IssueNumber == 0 || rep.State != "open" {
		return skip("no open distill report in %s", full)
	}
	if rep.ScannedSHA == ev.GetAfter() {
		return skip("%s already scanned", short(ev.GetAfter()))
	}
	args := OnboardArgs{
		InstallationID: ev.GetInstallation().GetID(), Owner: repo.GetOwner().GetLogin(), Repo: repo.GetName(), RepoID: repo.GetID(),
		DefaultBranch: branch, Rescan: true, AfterSHA: ev.GetAfter(), DeliveryID: delivery,
	}
	q, err := enqueuer(ctx)
	if err != nil {
		return err
	}
	if _, err := q.Insert(ctx, args, &river.InsertOpts{Tags: jobTags(args.InstallationID, args.RepoID)}); err != nil {
		return fmt.Errorf("enqueueing the rescan of %s: %w", full, err)
	}
	h.logger(ctx).Info("report rescan queued", "repo", full, "head", ev.GetAfter())
	return nil
}
