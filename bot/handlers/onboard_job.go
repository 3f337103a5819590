package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/bot/onboard"
	"github.com/distill-bot/distill/bot/repoconfig"
	"github.com/distill-bot/distill/bot/store"
)

// OnboardArgs scans one repository's default branch and opens (or, for a
// rescan after a push, updates) its "distill report" issue.
type OnboardArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	RepoID         int64  `json:"repo_id"`
	// DefaultBranch, when known, saves a GET of the repository.
	DefaultBranch string `json:"default_branch,omitempty"`
	// OrgConfig is the owner's default configuration, read once for the
	// whole installation (OrgConfigKnown); OrgConfigError says it is
	// broken.
	OrgConfig      *config.Config `json:"org_config,omitempty"`
	OrgConfigKnown bool           `json:"org_config_known,omitempty"`
	OrgConfigError string         `json:"org_config_error,omitempty"`
	// Rescan updates an existing report (a push to the default branch).
	Rescan     bool   `json:"rescan,omitempty" river:"unique"`
	AfterSHA   string `json:"after_sha,omitempty" river:"unique"`
	DeliveryID string `json:"delivery_id,omitempty"`
}

// Kind implements river.JobArgs.
func (OnboardArgs) Kind() string { return "onboard" }

// InsertOpts implements river.JobArgsWithInsertOpts: unique while pending
// (a reinstall onboards again), many attempts (rate limits snooze rather
// than fail, and nothing is dropped), and the lowest priority, so that
// deliveries, reviews and commands never wait behind a large onboarding.
func (OnboardArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 20, Priority: 4, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// pendingStates are the job states of work not done yet.
var pendingStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// FullName is "owner/repo".
func (a OnboardArgs) FullName() string { return a.Owner + "/" + a.Repo }

// OnboardWorker scans a repository. A repository without Dockerfiles costs
// one API call (the recursive tree; two when it has its own configuration
// or the default branch was not known) and gets nothing.
type OnboardWorker struct {
	river.WorkerDefaults[OnboardArgs]
	*Deps
}

// Timeout bounds one scan.
func (w *OnboardWorker) Timeout(*river.Job[OnboardArgs]) time.Duration { return 10 * time.Minute }

// rateReserve is the share of the hourly budget onboarding leaves to
// reviews and commands: below it, onboarding waits for the reset.
const rateReserve = 10

// Work implements river.Worker.
func (w *OnboardWorker) Work(ctx context.Context, job *river.Job[OnboardArgs]) error {
	a := job.Args
	log := w.Log.With("job", job.ID, "kind", "onboard", "repo", a.FullName(), "rescan", a.Rescan, "attempt", job.Attempt)
	start := time.Now()
	err := w.run(ctx, log, job)
	w.Metrics.JobDuration.WithLabelValues("onboard").Observe(time.Since(start).Seconds())
	var sk *skipError
	if err == nil || errors.As(err, &sk) {
		if merr := w.DB.MarkOnboarding(ctx, a.InstallationID, []store.RepoRef{{ID: a.RepoID, FullName: a.FullName()}}, store.OnboardingDone); merr != nil {
			return w.jobResult("onboard", log, merr)
		}
	}
	return w.jobResult("onboard", log, err)
}

func (w *OnboardWorker) run(ctx context.Context, log *slog.Logger, job *river.Job[OnboardArgs]) error {
	a := job.Args
	if err := w.installationActive(ctx, a.InstallationID); err != nil {
		return err
	}
	if a.RepoID != 0 {
		if ok, err := w.DB.InstallationHasRepo(ctx, a.InstallationID, a.RepoID); err != nil {
			return err
		} else if !ok {
			return river.JobCancel(fmt.Errorf("%s is no longer covered by installation %d", a.FullName(), a.InstallationID))
		}
	}
	gh := w.GitHub.Installation(a.InstallationID)
	branch := a.DefaultBranch
	if branch == "" {
		r, _, err := gh.Repositories.Get(ctx, a.Owner, a.Repo)
		if err != nil {
			return fmt.Errorf("getting %s: %w", a.FullName(), err)
		}
		branch = r.GetDefaultBranch()
	}
	tree, resp, err := getTree(ctx, gh, a.Owner, a.Repo, branch)
	if err != nil {
		return err
	}
	if resp != nil && resp.Rate.Limit > 0 && resp.Rate.Remaining < resp.Rate.Limit/rateReserve && !resp.Rate.Reset.IsZero() {
		// Leave the rest of the hour's budget to reviews and commands.
		wait := time.Until(resp.Rate.Reset.Time) + time.Second
		log.Warn("rate budget low; onboarding waits for the reset", "remaining", resp.Rate.Remaining, "reset", resp.Rate.Reset.UTC().Format(time.RFC3339))
		w.Metrics.Jobs.WithLabelValues("onboard", "snoozed").Inc()
		return river.JobSnooze(max(wait, time.Second))
	}
	if tree == nil {
		return skip("empty repository")
	}
	cfg := a.OrgConfig
	switch {
	case hasFile(tree, repoconfig.Path) || !a.OrgConfigKnown:
		c, _, err := (&repoconfig.Loader{Client: gh}).Load(ctx, a.Owner, a.Repo, branch)
		var pe *repoconfig.ParseError
		if errors.As(err, &pe) {
			return skip("broken configuration: %s", pe.Error())
		}
		if err != nil {
			return err
		}
		cfg = c
	case a.OrgConfigError != "":
		return skip("broken organisation configuration: %s", a.OrgConfigError)
	}
	if cfg.OnboardingOrDefault() == "off" || cfg.ModeOrDefault() == "off" {
		return skip("onboarding: %s, mode: %s", cfg.OnboardingOrDefault(), cfg.ModeOrDefault())
	}
	paths := treeDockerfiles(cfg, tree)
	if len(paths) == 0 && !a.Rescan {
		return skip("no Dockerfiles on %s", branch)
	}
	files, _, err := w.scanTree(ctx, log, gh, a.Owner, a.Repo, tree.GetSHA(), tree, paths, cfg)
	if err != nil {
		return err
	}
	sha := a.AfterSHA
	if sha == "" {
		if ref, _, err := gh.Git.GetRef(ctx, a.Owner, a.Repo, "heads/"+branch); err == nil {
			sha = ref.GetObject().GetSHA()
		}
	}
	rep := onboard.Report{Repo: a.FullName(), Branch: branch, SHA: sha}
	for _, f := range files {
		rep.Files = append(rep.Files, f.report())
	}
	return w.publish(ctx, log, gh, job, rep, branch)
}

// publish opens the report issue or updates it in place.
func (w *OnboardWorker) publish(ctx context.Context, log *slog.Logger, gh *github.Client, job *river.Job[OnboardArgs], rep onboard.Report, branch string) error {
	a := job.Args
	body := onboard.Render(rep)
	prev, err := w.DB.GetReport(ctx, a.FullName())
	if err != nil {
		return err
	}
	states, err := reportStates(ctx, w.Deps, a.FullName())
	if err != nil {
		return err
	}
	record := store.Report{Repo: a.FullName(), InstallationID: a.InstallationID, State: "open", DefaultBranch: branch, ScannedSHA: rep.SHA, Body: body}
	if prev != nil && prev.IssueNumber != 0 {
		record.IssueNumber = prev.IssueNumber
		if prev.State == "closed" {
			return skip("the report #%d was closed", prev.IssueNumber)
		}
		if prev.Body == body {
			return w.DB.SaveReport(ctx, record)
		}
		w.pause(ctx)
		_, resp, err := gh.Issues.Edit(ctx, a.Owner, a.Repo, prev.IssueNumber, &github.IssueRequest{Body: github.String(onboard.Apply(body, states))})
		switch {
		case err == nil:
			log.Info("report updated", "issue", prev.IssueNumber, "files", len(rep.Files))
			return w.DB.SaveReport(ctx, record)
		case resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone):
			record.IssueNumber = 0 // deleted: open a new one
		default:
			return fmt.Errorf("updating the report #%d of %s: %w", prev.IssueNumber, a.FullName(), err)
		}
	}
	id, err := w.GitHub.Identity(ctx)
	if err != nil {
		return err
	}
	if job.Attempt > 1 {
		// A crash after opening and before recording must not open a
		// second report.
		if n, err := findReport(ctx, gh, a.Owner, a.Repo, id.BotLogin); err != nil {
			return err
		} else if n != 0 {
			record.IssueNumber = n
			return w.DB.SaveReport(ctx, record)
		}
	}
	w.pause(ctx)
	is, _, err := gh.Issues.Create(ctx, a.Owner, a.Repo, &github.IssueRequest{Title: github.String(onboard.Title), Body: github.String(onboard.Apply(body, states))})
	if err != nil {
		return fmt.Errorf("opening the report of %s: %w", a.FullName(), err)
	}
	record.IssueNumber = is.GetNumber()
	log.Info("report opened", "issue", is.GetNumber(), "files", len(rep.Files))
	return w.DB.SaveReport(ctx, record)
}

// findReport looks for an open report issue distill opened.
func findReport(ctx context.Context, gh *github.Client, owner, repo, bot string) (int, error) {
	is, _, err := gh.Issues.ListByRepo(ctx, owner, repo, &github.IssueListByRepoOptions{State: "open", Creator: bot, ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return 0, fmt.Errorf("listing the issues of %s/%s: %w", owner, repo, err)
	}
	for _, i := range is {
		if i.GetTitle() == onboard.Title && onboard.IsReport(i.GetBody()) && strings.EqualFold(i.GetUser().GetLogin(), bot) {
			return i.GetNumber(), nil
		}
	}
	return 0, nil
}
