// Package webhook receives GitHub webhook deliveries. The handler only
// authenticates the delivery (X-Hub-Signature-256, constant time, through
// go-github), stores it as a durable job together with its delivery ID in
// one transaction, and answers 202: GitHub allows 10 seconds, distill takes
// milliseconds, and nothing accepted is ever only in memory.
package webhook

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/bot/handlers"
	"github.com/distill-bot/distill/bot/metrics"
	"github.com/distill-bot/distill/bot/store"
)

// MaxBody is GitHub's payload cap (25 MB): larger events are never sent.
const MaxBody = 25 << 20

// Inserter enqueues a job inside a transaction.
type Inserter interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Handler is the webhook endpoint.
type Handler struct {
	// Secrets are accepted webhook secrets: the current one first, then a
	// previous one during rotation.
	Secrets [][]byte
	Queue   Inserter
	DB      *store.DB
	Metrics *metrics.Metrics
	Log     *slog.Logger
	// Known reports events distill handles; others are acknowledged and
	// dropped.
	Known func(event string) bool
}

type reply struct {
	Delivery string `json:"delivery,omitempty"`
	Status   string `json:"status"`
	Message  string `json:"message,omitempty"`
}

// ServeHTTP implements echo.HandlerFunc through Echo.
func (h *Handler) Echo(c echo.Context) error {
	start := time.Now()
	r := c.Request()
	event := r.Header.Get(github.EventTypeHeader)
	delivery := r.Header.Get(github.DeliveryIDHeader)
	log := h.Log.With("delivery", delivery, "event", event, "remote", c.RealIP())
	outcome := "error"
	defer func() {
		label := event
		if label == "" {
			label = "unknown"
		}
		h.Metrics.Deliveries.WithLabelValues(label, outcome).Inc()
		h.Metrics.DeliveryLatency.Observe(time.Since(start).Seconds())
	}()

	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, MaxBody))
	if err != nil {
		outcome = "invalid"
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			log.Warn("delivery over the 25 MiB limit")
			return c.JSON(http.StatusRequestEntityTooLarge, reply{Delivery: delivery, Status: "rejected", Message: "payload over 25 MiB"})
		}
		return c.JSON(http.StatusBadRequest, reply{Delivery: delivery, Status: "rejected", Message: "could not read the body"})
	}
	payload, err := h.validate(r, body)
	if err != nil {
		outcome = "unauthorized"
		// Never log the body of an unauthenticated request.
		log.Warn("webhook signature rejected", "error", err.Error(), "bytes", len(body))
		return c.JSON(http.StatusUnauthorized, reply{Delivery: delivery, Status: "rejected", Message: "invalid or missing X-Hub-Signature-256"})
	}
	if event == "" || delivery == "" {
		outcome = "invalid"
		return c.JSON(http.StatusBadRequest, reply{Delivery: delivery, Status: "rejected", Message: "missing X-GitHub-Event or X-GitHub-Delivery header"})
	}
	if !json.Valid(payload) {
		outcome = "invalid"
		return c.JSON(http.StatusBadRequest, reply{Delivery: delivery, Status: "rejected", Message: "payload is not JSON"})
	}
	if event == "ping" {
		outcome = "accepted"
		log.Info("ping")
		return c.JSON(http.StatusOK, reply{Delivery: delivery, Status: "pong"})
	}
	if h.Known != nil && !h.Known(event) {
		outcome = "ignored"
		return c.JSON(http.StatusAccepted, reply{Delivery: delivery, Status: "ignored", Message: "distill does not handle " + event})
	}
	dup, err := h.enqueue(r.Context(), delivery, event, payload)
	if err != nil {
		log.Error("could not store the delivery", "error", err.Error())
		// 500 makes GitHub show the delivery as failed, so it can be
		// redelivered; nothing was accepted.
		return c.JSON(http.StatusInternalServerError, reply{Delivery: delivery, Status: "error", Message: "could not store the delivery; redeliver it"})
	}
	if dup {
		outcome = "duplicate"
		log.Info("redelivery ignored")
		return c.JSON(http.StatusAccepted, reply{Delivery: delivery, Status: "duplicate"})
	}
	outcome = "accepted"
	log.Info("delivery queued", "latency_ms", time.Since(start).Milliseconds())
	return c.JSON(http.StatusAccepted, reply{Delivery: delivery, Status: "queued"})
}

// validate checks the signature against each accepted secret, over the raw
// bytes, in constant time (go-github's ValidatePayloadFromBody), and
// returns the JSON payload (form-encoded deliveries carry it in `payload`).
func (h *Handler) validate(r *http.Request, body []byte) ([]byte, error) {
	sig := r.Header.Get(github.SHA256SignatureHeader)
	if sig == "" {
		sig = r.Header.Get(github.SHA1SignatureHeader)
	}
	if sig == "" {
		return nil, errors.New("missing signature")
	}
	var err error
	for _, s := range h.Secrets {
		var p []byte
		p, err = github.ValidatePayloadFromBody(r.Header.Get("Content-Type"), bytes.NewReader(body), sig, s)
		if err == nil {
			return p, nil
		}
	}
	return nil, err
}

// enqueue stores the delivery ID and its job in one transaction; it
// reports a duplicate when the delivery was seen before.
func (h *Handler) enqueue(ctx context.Context, delivery, event string, payload []byte) (bool, error) {
	var meta struct {
		Action       string `json:"action"`
		Installation struct {
			ID int64 `json:"id"`
		} `json:"installation"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	_ = json.Unmarshal(payload, &meta)
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, h.DB.Rebind(`INSERT INTO distill_deliveries (delivery_id, event, action, installation_id, repo, received_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`), delivery, event, meta.Action, meta.Installation.ID, meta.Repository.FullName, time.Now().Unix())
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return true, nil
	}
	ins, err := h.Queue.InsertTx(ctx, tx, handlers.DeliveryArgs{DeliveryID: delivery, Event: event, Payload: payload}, nil)
	if err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	return ins.UniqueSkippedAsDuplicate, nil
}
