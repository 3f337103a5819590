package handlers

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// PruneArgs asks for old state to be deleted (see store.Prune). The queue
// enqueues it periodically on the elected leader, so one replica prunes.
type PruneArgs struct{}

// Kind implements river.JobArgs.
func (PruneArgs) Kind() string { return "prune" }

// InsertOpts makes pending prunes collapse into one.
func (PruneArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// PruneWorker deletes deliveries and closed pull requests' state older
// than Retention.
type PruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	*Deps
	Retention time.Duration
}

// Work implements river.Worker.
func (w *PruneWorker) Work(ctx context.Context, job *river.Job[PruneArgs]) error {
	log := w.Log.With("job", job.ID, "kind", "prune")
	cutoff := time.Now().Add(-w.Retention)
	res, err := w.DB.Prune(ctx, cutoff)
	if err == nil {
		attrs := []any{"older_than", cutoff.UTC().Format(time.RFC3339)}
		for table, n := range res {
			attrs = append(attrs, table, n)
		}
		log.Info("pruned", attrs...)
	}
	return w.jobResult("prune", log, err)
}
