package handlers

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// DeliveryArgs is a webhook delivery, stored as a job the moment it
// arrives so that nothing accepted lives only in memory. It is unique per
// delivery ID: a redelivery is a no-op.
type DeliveryArgs struct {
	DeliveryID string          `json:"delivery_id" river:"unique"`
	Event      string          `json:"event"`
	Payload    json.RawMessage `json:"payload"`
}

// Kind implements river.JobArgs.
func (DeliveryArgs) Kind() string { return "github_delivery" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DeliveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// EventHandler handles one kind of event.
type EventHandler interface {
	Handles() []string
	Handle(ctx context.Context, deliveryID string, payload []byte) error
}

// DeliveryWorker routes deliveries to their event handler.
type DeliveryWorker struct {
	river.WorkerDefaults[DeliveryArgs]
	*Deps
	handlers map[string]EventHandler
}

// NewDeliveryWorker registers the handlers.
func NewDeliveryWorker(d *Deps, hs ...EventHandler) *DeliveryWorker {
	w := &DeliveryWorker{Deps: d, handlers: map[string]EventHandler{}}
	for _, h := range hs {
		for _, e := range h.Handles() {
			w.handlers[e] = h
		}
	}
	return w
}

// Handles reports whether an event has a handler.
func (w *DeliveryWorker) Handles(event string) bool { _, ok := w.handlers[event]; return ok }

// Timeout bounds routing; handlers only read the payload and enqueue.
func (w *DeliveryWorker) Timeout(*river.Job[DeliveryArgs]) time.Duration {
	return w.timeout(time.Minute)
}

// Work routes one delivery.
func (w *DeliveryWorker) Work(ctx context.Context, job *river.Job[DeliveryArgs]) error {
	start := time.Now()
	log := w.Log.With("delivery", job.Args.DeliveryID, "event", job.Args.Event, "job", job.ID)
	h, ok := w.handlers[job.Args.Event]
	if !ok {
		return w.jobResult("delivery", log, skip("no handler for %s", job.Args.Event))
	}
	err := h.Handle(withLogger(ctx, log), job.Args.DeliveryID, job.Args.Payload)
	w.Metrics.JobDuration.WithLabelValues("delivery").Observe(time.Since(start).Seconds())
	return w.jobResult("delivery", log, err)
}

type logKey struct{}

func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, logKey{}, l)
}

// logger returns the request-scoped logger, with the delivery ID.
func (d *Deps) logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(logKey{}).(*slog.Logger); ok {
		return l
	}
	return d.Log
}
