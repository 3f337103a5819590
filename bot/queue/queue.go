// Package queue sets up River, distill's durable job queue, on the store's
// database (SQLite or Postgres through database/sql): the same migrations,
// the same pool, retries with exponential backoff, snoozes for rate limits.
package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/bot/store"
)

// Client is the River client type distill uses.
type Client = river.Client[*sql.Tx]

// Config configures the queue.
type Config struct {
	DB      *store.DB
	Workers *river.Workers
	Log     *slog.Logger
	// Concurrency is the number of jobs worked at once (default 4).
	Concurrency int
	// PollInterval is how often idle workers look for new jobs (default
	// 250 ms; database/sql drivers have no LISTEN/NOTIFY).
	PollInterval time.Duration
	// RetryBase is the first retry delay (default 10 s), doubled per
	// attempt up to 30 minutes.
	RetryBase time.Duration
	// InsertOnly creates a client that only enqueues (no workers).
	InsertOnly bool
	// JobTimeout bounds a job (default 10 minutes).
	JobTimeout time.Duration
	// RescueAfter makes jobs stuck in "running" (their process died)
	// available again (default JobTimeout + 5 minutes).
	RescueAfter time.Duration
	// PeriodicJobs are enqueued on a schedule by the elected leader, so
	// one replica runs each.
	PeriodicJobs []*river.PeriodicJob
}

// New creates the River client.
func New(cfg Config) (*Client, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 10 * time.Second
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 10 * time.Minute
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		cfg.RescueAfter = cfg.JobTimeout + 5*time.Minute
	}
	rc := &river.Config{
		Logger:            cfg.Log,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     cfg.PollInterval / 5,
		PollOnly:          true,
		MaxAttempts:       10,
		RetryPolicy:       &backoff{base: cfg.RetryBase},
		// Completed jobs are kept a week so redeliveries within GitHub's
		// redelivery window (3 days, 7 on GHES) stay deduplicated.
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		JobTimeout:                  cfg.JobTimeout,
		RescueStuckJobsAfter:        cfg.RescueAfter,
	}
	if !cfg.InsertOnly {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Concurrency}}
		rc.Workers = cfg.Workers
		rc.PeriodicJobs = cfg.PeriodicJobs
	}
	c, err := river.NewClient(cfg.DB.RiverDriver(), rc)
	if err != nil {
		return nil, fmt.Errorf("creating the job queue: %w", err)
	}
	return c, nil
}

// backoff retries after base·2^(attempt−1), capped at 30 minutes, with ±10 %
// jitter so that failures across many jobs do not retry in lockstep.
type backoff struct{ base time.Duration }

func (b *backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := b.base << min(job.Attempt-1, 20)
	if d > 30*time.Minute || d <= 0 {
		d = 30 * time.Minute
	}
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return time.Now().Add(d + jitter)
}

// RecoverOrphans makes jobs left "running" by a process that died available
// again. It is only safe when no other process works the queue — a SQLite
// file belongs to one process — so the caller decides when to use it.
func RecoverOrphans(ctx context.Context, db *store.DB) (int64, error) {
	res, err := db.Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = ? WHERE state = 'running'`, time.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("recovering jobs interrupted by a crash: %w", err)
	}
	return res.RowsAffected()
}
