package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
)

// Followups runs after every review (ReviewWorker.AfterReview): in
// `mode: pr` it queues the follow-up pull request of the reviewed head; in
// any mode, a pull request that already has a follow-up (an earlier
// /optimize) gets it updated for the new head. It also marks a broken
// configuration comment resolved once a review succeeds again.
type Followups struct{ *Deps }

// AfterReview implements ReviewWorker.AfterReview. It only queues jobs, so
// a failure of the follow-up never fails the review.
func (f *Followups) AfterReview(ctx context.Context, a ReviewArgs, cfg *config.Config, files []ReviewedFile) error {
	log := f.Log.With("repo", a.FullName(), "pr", a.Number, "head", a.HeadSHA)
	if err := f.configFixed(ctx, log, a); err != nil {
		return err
	}
	existing, err := f.DB.GetFollowup(ctx, a.FullName(), fmt.Sprintf("distill/optimize-%d", a.Number))
	if err != nil {
		return err
	}
	trigger := ""
	var paths []string
	switch {
	case cfg.ModeOrDefault() == "pr":
		trigger = triggerAuto
		if existing == nil && !anyConverted(files) {
			return nil
		}
		if existing != nil {
			paths = existing.Paths
		}
	case existing != nil:
		trigger, paths = triggerPush, existing.Paths
		if existing.SourceSHA == a.HeadSHA {
			return nil
		}
	default:
		return nil
	}
	return enqueueOptimize(ctx, log, OptimizeArgs{
		InstallationID: a.InstallationID, Owner: a.Owner, Repo: a.Repo, Number: a.Number, Target: targetPR, Paths: paths,
		Trigger: trigger, Key: a.HeadSHA, HeadSHA: a.HeadSHA, HeadRef: a.HeadRef, HeadRepo: a.HeadRepo, BaseRef: a.BaseRef,
		Config: cfg, DeliveryID: a.DeliveryID,
	})
}

func anyConverted(files []ReviewedFile) bool {
	for _, f := range files {
		if f.Proposal != nil && f.Proposal.Status == convert.Converted {
			return true
		}
	}
	return false
}

// configErrorKind is the per-PR comment explaining a broken configuration.
const configErrorKind = "config-error"

// configFixed edits the broken-configuration comment of a pull request
// once a review succeeds again.
func (f *Followups) configFixed(ctx context.Context, log *slog.Logger, a ReviewArgs) error {
	id, state, err := f.DB.PRComment(ctx, a.FullName(), a.Number, configErrorKind)
	if err != nil || id == 0 || state != "broken" {
		return err
	}
	gh := f.GitHub.Installation(a.InstallationID)
	body := fmt.Sprintf("distill's configuration works again: distill reviewed %s with it.\n\n<!-- distill:config-error resolved head=%s -->", short(a.HeadSHA), a.HeadSHA)
	f.pause(ctx)
	_, resp, err := gh.Issues.EditComment(ctx, a.Owner, a.Repo, id, &github.IssueComment{Body: github.String(body)})
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		log.Warn("could not mark the configuration comment resolved", "comment", id, "error", err.Error())
		return nil
	}
	return f.DB.SavePRComment(ctx, a.FullName(), a.Number, configErrorKind, id, "fixed")
}
