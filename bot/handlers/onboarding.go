package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/bot/store"
)

// Onboarding connects the installation handler to onboarding: repositories
// an installation newly covers get an OnboardInstallationArgs job (which
// spreads one OnboardArgs job per repository over time), and uninstalling,
// suspending or removing repositories cancels the work still pending.
type Onboarding struct{ *Deps }

// OnboardSpacing is the gap between two repositories' onboarding jobs:
// each may open one issue, and GitHub allows about 500 content-creating
// requests an hour (one per 7.2 s), so onboarding uses eight mutation
// pauses per repository and leaves room for reviews.
func OnboardSpacing(mutationPause time.Duration) time.Duration { return 8 * mutationPause }

// OnNewRepos queues the onboarding of repositories (Installation.OnNewRepos),
// together with those whose onboarding a suspension cancelled.
func (o *Onboarding) OnNewRepos(ctx context.Context, installation int64, repos []store.RepoRef) error {
	unfinished, err := o.DB.UnfinishedOnboarding(ctx, installation)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, r := range repos {
		seen[r.ID] = true
	}
	for _, r := range unfinished {
		if !seen[r.ID] {
			repos = append(repos, r)
		}
	}
	if len(repos) == 0 {
		return nil
	}
	q, err := enqueuer(ctx)
	if err != nil {
		return err
	}
	res, err := q.Insert(ctx, OnboardInstallationArgs{InstallationID: installation, Repos: repos}, &river.InsertOpts{Tags: jobTags(installation, 0)})
	if err != nil {
		return fmt.Errorf("enqueueing the onboarding of installation %d: %w", installation, err)
	}
	o.logger(ctx).Info("onboarding queued", "installation", installation, "repositories", len(repos), "duplicate", res.UniqueSkippedAsDuplicate)
	return nil
}

// cancellable are the job kinds uninstalling cancels.
var cancellable = []string{OnboardInstallationArgs{}.Kind(), OnboardArgs{}.Kind(), OptimizeArgs{}.Kind(), CommandArgs{}.Kind()}

// OnRemoved cancels pending jobs (Installation.OnRemoved): all of an
// installation that was deleted or suspended, or those of the removed
// repositories. Running jobs finish; every job also checks the
// installation when it starts.
func (o *Onboarding) OnRemoved(ctx context.Context, installation int64, repos []store.RepoRef) error {
	in, err := o.DB.GetInstallation(ctx, installation)
	if err != nil {
		return err
	}
	var tags []string
	if in == nil || in.Deleted || in.Suspended {
		tags = []string{installationTag(installation)}
	} else {
		for _, r := range repos {
			tags = append(tags, repoTag(r.ID))
		}
	}
	if len(tags) == 0 {
		return nil
	}
	rc, err := riverClient(ctx)
	if err != nil {
		return err
	}
	params := river.NewJobListParams().Kinds(cancellable...).
		States(rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStatePending).
		TagsAny(tags...).First(500)
	cancelled := 0
	for range 1000 { // cancelled jobs leave the filter; the bound is a guard
		res, err := rc.JobList(ctx, params)
		if err != nil {
			return fmt.Errorf("listing the pending jobs of installation %d: %w", installation, err)
		}
		if len(res.Jobs) == 0 {
			break
		}
		// One transaction per page: thousands of single cancellations
		// would each commit on their own.
		tx, err := o.DB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, j := range res.Jobs {
			if _, err := rc.JobCancelTx(ctx, tx, j.ID); err != nil {
				tx.Rollback()
				return fmt.Errorf("cancelling job %d of installation %d: %w", j.ID, installation, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("cancelling the jobs of installation %d: %w", installation, err)
		}
		cancelled += len(res.Jobs)
	}
	o.logger(ctx).Info("pending jobs cancelled", "installation", installation, "jobs", cancelled, "repositories", len(repos))
	return nil
}
