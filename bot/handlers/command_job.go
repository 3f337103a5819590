package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/bot/command"
	"github.com/distill-bot/distill/bot/store"
)

// CommandArgs is one comment command. It is unique per comment and command
// line: a redelivery is a no-op, and an edit that changes the command gets
// its own job, which runs only if the comment's earlier command did not
// (the distill_commands table decides).
type CommandArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	RepoID         int64  `json:"repo_id"`
	DefaultBranch  string `json:"default_branch"`
	Number         int    `json:"number"`
	PullRequest    bool   `json:"pull_request"`
	CommentID      int64  `json:"comment_id" river:"unique"`
	Line           string `json:"line" river:"unique"`
	// User wrote the comment; Sender triggered the event (an editor).
	User       string `json:"user"`
	Sender     string `json:"sender"`
	Action     string `json:"action"`
	DeliveryID string `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (CommandArgs) Kind() string { return "command" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (CommandArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FullName is "owner/repo".
func (a CommandArgs) FullName() string { return a.Owner + "/" + a.Repo }

func (a CommandArgs) ref() commentRef {
	return commentRef{Owner: a.Owner, Repo: a.Repo, Number: a.Number, CommentID: a.CommentID}
}

// CommandWorker runs comment commands: it claims the comment, loads the
// configuration (commands.enabled, commands.permission), checks the
// commenter's permission for privileged commands, acknowledges with 👀 and
// runs the command. Work that takes long (follow-up pull requests) is
// queued as its own job, which reports back with 🚀 or 😕.
type CommandWorker struct {
	river.WorkerDefaults[CommandArgs]
	*Deps
}

// Timeout bounds one command.
func (w *CommandWorker) Timeout(*river.Job[CommandArgs]) time.Duration { return 5 * time.Minute }

// Work implements river.Worker.
func (w *CommandWorker) Work(ctx context.Context, job *river.Job[CommandArgs]) error {
	a := job.Args
	log := w.Log.With("job", job.ID, "kind", "command", "repo", a.FullName(), "number", a.Number, "comment", a.CommentID,
		"command", a.Line, "requested_by", a.User, "sender", a.Sender, "delivery", a.DeliveryID, "attempt", job.Attempt)
	start := time.Now()
	err := w.run(ctx, log, job)
	w.Metrics.JobDuration.WithLabelValues("command").Observe(time.Since(start).Seconds())
	res := w.jobResult("command", log, err)
	if finalFailure(res, job.Attempt, job.MaxAttempts) {
		w.failed(log, w.GitHub.Installation(a.InstallationID), a.ref(), a.Line, job.Attempt, err)
	}
	return res
}

func (w *CommandWorker) run(ctx context.Context, log *slog.Logger, job *river.Job[CommandArgs]) error {
	a := job.Args
	if err := w.installationActive(ctx, a.InstallationID); err != nil {
		return err
	}
	claimed, status, err := w.DB.ClaimCommand(ctx, store.CommandRun{Repo: a.FullName(), CommentID: a.CommentID, Number: a.Number, Line: a.Line, User: a.User, JobID: job.ID})
	if err != nil {
		return err
	}
	if !claimed {
		return skip("comment %d already had its command run (%s)", a.CommentID, status)
	}
	id, err := w.GitHub.Identity(ctx)
	if err != nil {
		return err
	}
	gh := w.GitHub.Installation(a.InstallationID)
	c := a.ref()
	answer := func(status, kind, body, reaction string) error {
		w.react(ctx, log, gh, c, reaction)
		if body != "" {
			if err := w.reply(ctx, gh, c, kind, body, job.Attempt, id.BotLogin); err != nil {
				return err
			}
		}
		return w.DB.SetCommandStatus(ctx, a.FullName(), a.CommentID, status, firstLine(body))
	}

	res := command.Parse(a.Line)
	if res.Reply != "" {
		log.Info("command answered with usage", "requested_by", a.User)
		return answer(store.CommandReplied, "usage", res.Reply, reactRefused)
	}
	if res.Invocation == nil {
		return skip("no command in %q", a.Line)
	}
	inv := res.Invocation
	cfg, err := loadConfig(ctx, gh, a.Owner, a.Repo, "")
	var ref *refusal
	if errors.As(err, &ref) {
		log.Warn("command refused: broken configuration")
		return answer(store.CommandRefused, "refused", ref.msg, reactRefused)
	}
	if err != nil {
		return err
	}
	if cfg.ModeOrDefault() == "off" {
		log.Info("command ignored: mode: off")
		return w.DB.SetCommandStatus(ctx, a.FullName(), a.CommentID, store.CommandIgnored, "mode: off")
	}
	if !cfg.CommandsEnabled() {
		log.Info("command refused: commands are disabled")
		return answer(store.CommandRefused, "refused", "Comment commands are turned off for this repository (`commands.enabled: false` in `.github/distill.yml`), so distill did nothing.", reactRefused)
	}
	if inv.Command.On == command.PullRequests && !a.PullRequest {
		return answer(store.CommandRefused, "refused", fmt.Sprintf("`%s` works on pull requests only.", inv.Command.Usage()), reactRefused)
	}
	if inv.Command.Privileged {
		perm, err := permissionOf(ctx, gh, a.Owner, a.Repo, a.User)
		if err != nil {
			return err
		}
		if !perm.allows(cfg.MinPermission()) {
			log.Info("command refused: permission", "permission", perm.String(), "needs", cfg.MinPermission())
			return answer(store.CommandRefused, "refused", fmt.Sprintf(
				"Sorry @%s, `%s` needs the **%s** permission on this repository, and you have **%s**. Ask a maintainer to run it; distill did nothing.",
				a.User, inv.Command.Usage(), cfg.MinPermission(), perm.String()), reactRefused)
		}
	}
	w.react(ctx, log, gh, c, reactAccepted)
	if err := w.DB.SetCommandStatus(ctx, a.FullName(), a.CommentID, store.CommandAccepted, ""); err != nil {
		return err
	}
	log.Info("command accepted", "requested_by", a.User, "command", a.Line)
	out, err := inv.Command.Run(ctx, inv, &commandEnv{w: w, job: job, gh: gh, cfg: cfg})
	if errors.As(err, &ref) {
		return answer(store.CommandRefused, "refused", ref.msg, reactRefused)
	}
	if err != nil {
		return err
	}
	switch {
	case out.Queued:
		return w.DB.CommandQueued(ctx, a.FullName(), a.CommentID)
	case out.Refused:
		return answer(store.CommandRefused, "refused", out.Reply, reactRefused)
	default:
		log.Info("command done", "requested_by", a.User)
		return answer(store.CommandDone, "done", out.Reply, reactDone)
	}
}

// commandEnv is what commands may do.
type commandEnv struct {
	w   *CommandWorker
	job *river.Job[CommandArgs]
	gh  *github.Client
	cfg *config.Config
}

var _ command.Env = (*commandEnv)(nil)

func (e *commandEnv) Permission() string { return e.cfg.MinPermission() }

// Optimize queues the follow-up job, which answers the comment.
func (e *commandEnv) Optimize(ctx context.Context, paths []string) error {
	a := e.job.Args
	target := targetPR
	if !a.PullRequest {
		target = targetDefault
	}
	args := OptimizeArgs{
		InstallationID: a.InstallationID, Owner: a.Owner, Repo: a.Repo, RepoID: a.RepoID, Number: a.Number,
		Target: target, Paths: paths, Trigger: triggerCommand, Key: fmt.Sprintf("comment-%d", a.CommentID),
		CommentID: a.CommentID, Line: a.Line, Requester: a.User, DefaultBranch: a.DefaultBranch, Config: e.cfg, DeliveryID: a.DeliveryID,
	}
	return enqueueOptimize(ctx, e.w.logger(ctx), args)
}

// Recheck queues a fresh review of the head (a rerun: the check run is
// redone even when the head was reviewed).
func (e *commandEnv) Recheck(ctx context.Context) (string, error) {
	a := e.job.Args
	pr, _, err := e.gh.PullRequests.Get(ctx, a.Owner, a.Repo, a.Number)
	if err != nil {
		return "", fmt.Errorf("getting %s#%d: %w", a.FullName(), a.Number, err)
	}
	if pr.GetState() != "open" {
		return "", refusef("#%d is %s; distill reviews open pull requests only.", a.Number, pr.GetState())
	}
	if err := e.w.DB.SetHead(ctx, a.FullName(), a.Number, pr.GetHead().GetSHA(), "open"); err != nil {
		return "", err
	}
	args := ReviewArgsFromPR(a.InstallationID, pr.GetBase().GetRepo(), pr, a.DeliveryID)
	args.Rerun = fmt.Sprintf("comment-%d", a.CommentID)
	if err := e.w.enqueueReview(ctx, e.w.Log, args); err != nil {
		return "", err
	}
	return pr.GetHead().GetSHA(), nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
