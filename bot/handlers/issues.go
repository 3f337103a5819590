package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot/onboard"
)

// Issues handles issues events on distill's report issue: a box ticked in
// an edit queues that file's follow-up pull request; closing and reopening
// the report turns its updates off and on.
// https://docs.github.com/webhooks/webhook-events-and-payloads#issues
type Issues struct{ *Deps }

var _ EventHandler = (*Issues)(nil)

// Handles implements EventHandler.
func (h *Issues) Handles() []string { return []string{"issues"} }

// Handle implements EventHandler.
func (h *Issues) Handle(ctx context.Context, delivery string, payload []byte) error {
	var ev github.IssuesEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return river.JobCancel(fmt.Errorf("decoding issues %s: %w", delivery, err))
	}
	repo := ev.GetRepo()
	full := repo.GetFullName()
	issue := ev.GetIssue()
	rep, err := h.DB.GetReport(ctx, full)
	if err != nil {
		return err
	}
	if rep == nil || rep.IssueNumber != issue.GetNumber() {
		return skip("not a distill report")
	}
	log := h.logger(ctx).With("repo", full, "issue", issue.GetNumber(), "action", ev.GetAction(), "sender", ev.GetSender().GetLogin())
	switch ev.GetAction() {
	case "closed", "reopened":
		state := map[string]string{"closed": "closed", "reopened": "open"}[ev.GetAction()]
		log.Info("report " + ev.GetAction())
		return h.DB.SetReportState(ctx, full, issue.GetNumber(), state)
	case "edited":
	default:
		return skip("issues action %q", ev.GetAction())
	}
	sender := ev.GetSender()
	id, err := h.GitHub.Identity(ctx)
	if err != nil {
		return err
	}
	if strings.EqualFold(sender.GetType(), "Bot") || strings.EqualFold(sender.GetLogin(), id.BotLogin) {
		return skip("edited by a bot (%s)", sender.GetLogin())
	}
	now := onboard.Checked(issue.GetBody())
	files, err := h.DB.ReportFiles(ctx, full)
	if err != nil {
		return err
	}
	before := map[string]bool{}
	if ch := ev.GetChanges(); ch != nil && ch.Body != nil && ch.Body.From != nil {
		before = onboard.Checked(ch.Body.GetFrom())
	}
	offered := map[string]bool{}
	for _, p := range onboard.Boxes(rep.Body) {
		offered[p] = true
	}
	var ticked []string
	for p := range now {
		if offered[p] && !before[p] && !files[p].Checked {
			ticked = append(ticked, p)
		}
	}
	sort.Strings(ticked)
	if len(ticked) == 0 {
		return skip("no box newly ticked")
	}
	for _, p := range ticked {
		args := OptimizeArgs{
			InstallationID: ev.GetInstallation().GetID(), Owner: repo.GetOwner().GetLogin(), Repo: repo.GetName(), RepoID: repo.GetID(),
			Number: issue.GetNumber(), Target: targetDefault, Paths: []string{p}, Trigger: triggerReport, Key: delivery,
			Requester: sender.GetLogin(), CheckPermission: true, DefaultBranch: repo.GetDefaultBranch(),
			Branch: onboard.Branch(issue.GetNumber(), p), DeliveryID: delivery,
		}
		// Queue first, then record the tick: a failure in between retries
		// the delivery, and the queue dedupes the job.
		if err := enqueueOptimize(ctx, log, args); err != nil {
			return err
		}
		if _, err := h.DB.CheckReportFile(ctx, full, p); err != nil {
			return err
		}
		log.Info("report box ticked", "file", p, "requested_by", sender.GetLogin())
	}
	return nil
}
