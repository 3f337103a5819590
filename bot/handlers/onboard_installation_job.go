package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/bot/ghapp"
	"github.com/distill-bot/distill/bot/repoconfig"
	"github.com/distill-bot/distill/bot/store"
)

// OnboardInstallationArgs onboards the repositories an installation newly
// covers.
type OnboardInstallationArgs struct {
	InstallationID int64           `json:"installation_id" river:"unique"`
	Repos          []store.RepoRef `json:"repos" river:"unique"`
}

// Kind implements river.JobArgs.
func (OnboardInstallationArgs) Kind() string { return "onboard_installation" }

// InsertOpts implements river.JobArgsWithInsertOpts: unique while pending
// only, so that a second suspension and unsuspension resumes again.
func (OnboardInstallationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 20, Priority: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// OnboardInstallationWorker prepares the onboarding of many repositories
// once, so each repository's own job stays cheap: it reads the owner's
// default configuration (the `.github` repository) and the repositories'
// default branches (GET /installation/repositories, 100 per call), then
// queues one OnboardArgs job per repository, Spacing apart.
type OnboardInstallationWorker struct {
	river.WorkerDefaults[OnboardInstallationArgs]
	*Deps
	// Spacing separates the repositories' jobs (see OnboardSpacing).
	Spacing time.Duration
}

// Timeout bounds the preparation.
func (w *OnboardInstallationWorker) Timeout(*river.Job[OnboardInstallationArgs]) time.Duration {
	return 10 * time.Minute
}

// Work implements river.Worker.
func (w *OnboardInstallationWorker) Work(ctx context.Context, job *river.Job[OnboardInstallationArgs]) error {
	a := job.Args
	log := w.Log.With("job", job.ID, "kind", "onboard_installation", "installation", a.InstallationID, "repositories", len(a.Repos), "attempt", job.Attempt)
	start := time.Now()
	err := w.run(ctx, log, job)
	w.Metrics.JobDuration.WithLabelValues("onboard_installation").Observe(time.Since(start).Seconds())
	return w.jobResult("onboard_installation", log, err)
}

func (w *OnboardInstallationWorker) run(ctx context.Context, log *slog.Logger, job *river.Job[OnboardInstallationArgs]) error {
	a := job.Args
	if err := w.installationActive(ctx, a.InstallationID); err != nil {
		return err
	}
	gh := w.GitHub.Installation(a.InstallationID)
	repos := append([]store.RepoRef(nil), a.Repos...)
	sort.Slice(repos, func(i, j int) bool { return repos[i].FullName < repos[j].FullName })

	type orgDefault struct {
		cfg *config.Config
		err string
	}
	defaults := map[string]orgDefault{}
	for _, r := range repos {
		owner, _, _ := strings.Cut(r.FullName, "/")
		if _, ok := defaults[owner]; ok {
			continue
		}
		cfg, err := orgConfig(ctx, gh, owner)
		var pe *repoconfig.ParseError
		switch {
		case errors.As(err, &pe):
			log.Warn("the organisation's default configuration is broken; repositories without their own skip onboarding", "owner", owner, "error", pe.Error())
			defaults[owner] = orgDefault{err: pe.Error()}
		case err != nil:
			return err
		default:
			defaults[owner] = orgDefault{cfg: cfg}
		}
	}
	// Default branches: listing the installation's repositories costs one
	// call per 100 of them, a GET one call per repository; take the
	// cheaper.
	total, err := w.DB.CountInstallationRepos(ctx, a.InstallationID)
	if err != nil {
		return err
	}
	branches := map[string]string{}
	if (total+99)/100 <= len(repos) {
		var err error
		wanted := map[string]bool{}
		for _, r := range repos {
			wanted[r.FullName] = true
		}
		if branches, err = defaultBranches(ctx, gh, wanted); err != nil {
			return err
		}
	}
	now := time.Now()
	var params []river.InsertManyParams
	for i, r := range repos {
		owner, name, _ := strings.Cut(r.FullName, "/")
		d := defaults[owner]
		params = append(params, river.InsertManyParams{
			Args: OnboardArgs{InstallationID: a.InstallationID, Owner: owner, Repo: name, RepoID: r.ID, DefaultBranch: branches[r.FullName],
				OrgConfig: d.cfg, OrgConfigKnown: true, OrgConfigError: d.err},
			InsertOpts: &river.InsertOpts{ScheduledAt: now.Add(time.Duration(i) * w.Spacing), Tags: jobTags(a.InstallationID, r.ID)},
		})
	}
	rc, err := riverClient(ctx)
	if err != nil {
		return err
	}
	// Recorded first, so a fast job's "done" is never overwritten.
	if err := w.DB.MarkOnboarding(ctx, a.InstallationID, repos, store.OnboardingQueued); err != nil {
		return err
	}
	for len(params) > 0 {
		n := min(len(params), 200)
		if _, err := rc.InsertMany(ctx, params[:n]); err != nil {
			return fmt.Errorf("enqueueing the onboarding of installation %d: %w", a.InstallationID, err)
		}
		params = params[n:]
	}
	log.Info("repositories queued for onboarding", "spacing", w.Spacing.String(), "last_at", now.Add(time.Duration(len(repos)-1)*w.Spacing).UTC().Format(time.RFC3339))
	return nil
}

// orgConfig loads the owner's default configuration from its `.github`
// repository; a missing or unreadable repository means none.
func orgConfig(ctx context.Context, gh *github.Client, owner string) (*config.Config, error) {
	cfg, _, err := (&repoconfig.Loader{Client: gh}).Load(ctx, owner, ".github", "")
	var le *repoconfig.LoadError
	if errors.As(err, &le) {
		if f := ghapp.Classify(le.Err); f.Kind == ghapp.Gone || f.Kind == ghapp.Permanent {
			return nil, nil // no access to the .github repository
		}
	}
	return cfg, err
}

// defaultBranches lists the installation's repositories (full name →
// default branch) until every wanted one is found.
func defaultBranches(ctx context.Context, gh *github.Client, wanted map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	found := 0
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := gh.Apps.ListRepos(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("listing the installation's repositories: %w", err)
		}
		for _, r := range page.Repositories {
			if wanted[r.GetFullName()] {
				out[r.GetFullName()] = r.GetDefaultBranch()
				found++
			}
		}
		if resp.NextPage == 0 || found == len(wanted) {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
