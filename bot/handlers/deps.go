// Package handlers holds distill's GitHub event handlers and job workers:
// one file per event (pull_request.go, check.go, installation.go,
// issue_comment.go) and one per job kind (review_job.go, …). Webhook
// deliveries are stored as a DeliveryArgs job the moment they arrive; the
// delivery worker routes them to the handler of their event, and handlers
// enqueue the real work as unique jobs.
package handlers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/bot/ghapp"
	"github.com/distill-bot/distill/bot/metrics"
	"github.com/distill-bot/distill/bot/store"
)

// GitHub is what handlers need from the App: installation clients and the
// App's own identity (to ignore its own pull requests and comments).
type GitHub interface {
	Installation(id int64) *github.Client
	Identity(ctx context.Context) (*ghapp.Identity, error)
}

// Deps are the dependencies shared by every handler and worker.
type Deps struct {
	DB      *store.DB
	GitHub  GitHub
	Metrics *metrics.Metrics
	Log     *slog.Logger
	// CheckName is the check run's name.
	CheckName string
	// MutationPause spaces content-creating requests (GitHub asks for ≥ 1 s
	// between mutations per installation); tests set it to 0.
	MutationPause time.Duration
	// JobTimeout, when set, caps every job kind's own timeout but
	// verification's; River rescues a dead process's job only once its
	// timeout has passed, so this also bounds how long such a job waits.
	JobTimeout time.Duration
	// VerifyTimeout replaces the verification job's default timeout.
	VerifyTimeout time.Duration
}

// timeout is a job kind's timeout: its own default, capped by JobTimeout.
func (d *Deps) timeout(own time.Duration) time.Duration {
	if d.JobTimeout > 0 && d.JobTimeout < own {
		return d.JobTimeout
	}
	return own
}

// Enqueuer inserts jobs; *river.Client and *river.Client's transactional
// variants satisfy it.
type Enqueuer interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// enqueuer returns the River client running the current job.
func enqueuer(ctx context.Context) (Enqueuer, error) {
	c, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return nil, fmt.Errorf("no job queue in context: %w", err)
	}
	return c, nil
}

// jobResult maps an error to River's outcome: rate limits snooze the job
// until the reset instead of burning retries, a repository the App lost
// access to cancels it, permanent errors cancel it (a retry would fail the
// same way), and everything else is retried with backoff.
func (d *Deps) jobResult(kind string, log *slog.Logger, err error) error {
	if err == nil {
		d.Metrics.Jobs.WithLabelValues(kind, "ok").Inc()
		return nil
	}
	var skip *skipError
	if errors.As(err, &skip) {
		log.Info("job skipped", "reason", skip.reason)
		d.Metrics.Jobs.WithLabelValues(kind, "skipped").Inc()
		return nil
	}
	var cancel *rivertype.JobCancelError
	if errors.As(err, &cancel) {
		log.Info("job cancelled", "reason", err.Error())
		d.Metrics.Jobs.WithLabelValues(kind, "cancelled").Inc()
		return err
	}
	f := ghapp.Classify(err)
	switch f.Kind {
	case ghapp.RateLimited:
		wait := time.Until(f.Until)
		if wait < time.Second {
			wait = time.Second
		}
		log.Warn("rate limited; snoozing", "until", f.Until.UTC().Format(time.RFC3339), "error", err.Error())
		d.Metrics.Jobs.WithLabelValues(kind, "snoozed").Inc()
		return river.JobSnooze(wait)
	case ghapp.Gone:
		log.Warn("no access to the repository or installation; cancelling", "error", err.Error())
		d.Metrics.Jobs.WithLabelValues(kind, "cancelled").Inc()
		return river.JobCancel(err)
	case ghapp.Permanent:
		log.Error("job failed permanently", "error", err.Error())
		d.Metrics.Jobs.WithLabelValues(kind, "failed").Inc()
		return river.JobCancel(err)
	}
	log.Warn("job failed; will retry", "error", err.Error())
	d.Metrics.Jobs.WithLabelValues(kind, "error").Inc()
	return err
}

// skipError ends a job successfully without doing anything.
type skipError struct{ reason string }

func (e *skipError) Error() string { return "skipped: " + e.reason }

func skip(format string, args ...any) error { return &skipError{reason: fmt.Sprintf(format, args...)} }

// pause waits between content-creating requests.
func (d *Deps) pause(ctx context.Context) {
	if d.MutationPause <= 0 {
		return
	}
	t := time.NewTimer(d.MutationPause)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
