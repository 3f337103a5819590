package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot/command"
)

// IssueComment handles issue_comment created and edited on issues and pull
// requests: a comment whose first command line distill understands becomes
// a CommandArgs job, unique per comment and command line. Comments by bots,
// distill's own included, are never commands. Permission, configuration
// and the work itself are the job's business.
// https://docs.github.com/webhooks/webhook-events-and-payloads#issue_comment
type IssueComment struct{ *Deps }

var _ EventHandler = (*IssueComment)(nil)

// Handles implements EventHandler.
func (h *IssueComment) Handles() []string { return []string{"issue_comment"} }

// Handle implements EventHandler.
func (h *IssueComment) Handle(ctx context.Context, delivery string, payload []byte) error {
	var ev github.IssueCommentEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return river.JobCancel(fmt.Errorf("decoding issue_comment %s: %w", delivery, err))
	}
	switch ev.GetAction() {
	case "created", "edited":
	default:
		return skip("issue_comment action %q", ev.GetAction())
	}
	author, sender := ev.GetComment().GetUser(), ev.GetSender()
	if strings.EqualFold(author.GetType(), "Bot") || strings.EqualFold(sender.GetType(), "Bot") {
		return skip("comment by a bot (%s)", author.GetLogin())
	}
	id, err := h.GitHub.Identity(ctx)
	if err != nil {
		return err
	}
	if strings.EqualFold(author.GetLogin(), id.BotLogin) || strings.EqualFold(sender.GetLogin(), id.BotLogin) {
		return skip("distill's own comment")
	}
	res := command.Parse(ev.GetComment().GetBody())
	if res.Ignore {
		return skip("no command in comment %d", ev.GetComment().GetID())
	}
	repo := ev.GetRepo()
	args := CommandArgs{
		InstallationID: ev.GetInstallation().GetID(),
		Owner:          repo.GetOwner().GetLogin(),
		Repo:           repo.GetName(),
		RepoID:         repo.GetID(),
		DefaultBranch:  repo.GetDefaultBranch(),
		Number:         ev.GetIssue().GetNumber(),
		PullRequest:    ev.GetIssue().IsPullRequest(),
		CommentID:      ev.GetComment().GetID(),
		Line:           res.Line,
		User:           author.GetLogin(),
		Sender:         sender.GetLogin(),
		Action:         ev.GetAction(),
		DeliveryID:     delivery,
	}
	q, err := enqueuer(ctx)
	if err != nil {
		return err
	}
	ins, err := q.Insert(ctx, args, &river.InsertOpts{Tags: jobTags(args.InstallationID, args.RepoID)})
	if err != nil {
		return fmt.Errorf("enqueueing the command of comment %d on %s#%d: %w", args.CommentID, args.FullName(), args.Number, err)
	}
	h.logger(ctx).Info("command queued", "repo", args.FullName(), "number", args.Number, "comment", args.CommentID,
		"command", args.Line, "user", args.User, "action", args.Action, "duplicate", ins.UniqueSkippedAsDuplicate)
	return nil
}
