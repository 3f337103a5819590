package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot/store"
)

// PullRequest handles pull_request events: opened, synchronize, reopened
// and ready_for_review enqueue one review per head; closed records that the
// PR is closed so pending jobs cancel themselves.
// https://docs.github.com/webhooks/webhook-events-and-payloads#pull_request
type PullRequest struct{ *Deps }

var _ EventHandler = (*PullRequest)(nil)

// Handles implements EventHandler.
func (h *PullRequest) Handles() []string { return []string{"pull_request"} }

// Handle implements EventHandler.
func (h *PullRequest) Handle(ctx context.Context, delivery string, payload []byte) error {
	var ev github.PullRequestEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return river.JobCancel(fmt.Errorf("decoding pull_request %s: %w", delivery, err))
	}
	pr := ev.GetPullRequest()
	repo := ev.GetRepo().GetFullName()
	log := h.logger(ctx).With("repo", repo, "pr", pr.GetNumber(), "action", ev.GetAction())
	state := "open"
	switch ev.GetAction() {
	case "closed":
		state = "closed"
	case "opened", "synchronize", "reopened", "ready_for_review":
	default:
		return skip("pull_request action %q", ev.GetAction())
	}
	applied, err := h.DB.AdvanceHead(ctx, store.HeadEvent{Repo: repo, Number: pr.GetNumber(), SHA: pr.GetHead().GetSHA(),
		Before: ev.GetBefore(), State: state, UpdatedAt: pr.GetUpdatedAt().Time})
	if err != nil {
		return err
	}
	if !applied {
		return skip("pull_request %s for head %.7s arrived after a newer event (updated_at %s)", ev.GetAction(), pr.GetHead().GetSHA(), pr.GetUpdatedAt().Format(time.RFC3339))
	}
	if state == "closed" {
		return nil
	}
	args := ReviewArgsFromPR(ev.GetInstallation().GetID(), ev.GetRepo(), pr, delivery)
	return h.enqueueReview(ctx, log, args)
}

// ReviewArgsFromPR builds review job arguments from a pull request.
func ReviewArgsFromPR(installation int64, repo *github.Repository, pr *github.PullRequest, delivery string) ReviewArgs {
	return ReviewArgs{
		InstallationID: installation,
		Owner:          repo.GetOwner().GetLogin(),
		Repo:           repo.GetName(),
		Number:         pr.GetNumber(),
		HeadSHA:        pr.GetHead().GetSHA(),
		HeadRepo:       pr.GetHead().GetRepo().GetFullName(),
		HeadRef:        pr.GetHead().GetRef(),
		BaseRef:        pr.GetBase().GetRef(),
		Draft:          pr.GetDraft(),
		Author:         pr.GetUser().GetLogin(),
		AuthorType:     pr.GetUser().GetType(),
		DeliveryID:     delivery,
	}
}

func (d *Deps) enqueueReview(ctx context.Context, log interface{ Info(string, ...any) }, args ReviewArgs) error {
	q, err := enqueuer(ctx)
	if err != nil {
		return err
	}
	res, err := q.Insert(ctx, args, nil)
	if err != nil {
		return fmt.Errorf("enqueueing review of %s/%s#%d: %w", args.Owner, args.Repo, args.Number, err)
	}
	if res.UniqueSkippedAsDuplicate {
		log.Info("review already queued for this head", "head", args.HeadSHA)
	} else {
		log.Info("review queued", "head", args.HeadSHA, "review_job", res.Job.ID)
	}
	return nil
}
