// Package metrics defines distill's Prometheus metrics in one place, so the
// names operators alert on are documented together (docs/operations.md).
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds the collectors; a fresh registry per server keeps tests
// independent.
type Metrics struct {
	Registry *prometheus.Registry

	// Deliveries counts webhook deliveries by event and outcome (accepted,
	// duplicate, ignored, unauthorized, invalid, error).
	Deliveries *prometheus.CounterVec
	// DeliveryLatency observes the webhook handler's latency.
	DeliveryLatency prometheus.Histogram
	// Jobs counts finished jobs by kind and outcome (ok, error, cancelled,
	// snoozed, skipped).
	Jobs *prometheus.CounterVec
	// JobDuration observes job run time by kind.
	JobDuration *prometheus.HistogramVec
	// GitHubRequests counts GitHub API calls by endpoint and status.
	GitHubRequests *prometheus.CounterVec
	// RateLimitRemaining is the last X-RateLimit-Remaining seen per
	// resource (core, search, …).
	RateLimitRemaining *prometheus.GaugeVec
	// QueueDepth is the number of jobs waiting, by state, sampled.
	QueueDepth *prometheus.GaugeVec
}

// New creates and registers the metrics.
func New() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "distill_webhook_deliveries_total", Help: "Webhook deliveries by event and outcome.",
		}, []string{"event", "outcome"}),
		DeliveryLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "distill_webhook_handler_seconds", Help: "Time from request to 202, including the durable enqueue.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "distill_jobs_total", Help: "Finished jobs by kind and outcome.",
		}, []string{"kind", "outcome"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "distill_job_duration_seconds", Help: "Job run time by kind.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 12),
		}, []string{"kind"}),
		GitHubRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "distill_github_requests_total", Help: "GitHub API requests by endpoint and status.",
		}, []string{"endpoint", "status"}),
		RateLimitRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "distill_github_rate_limit_remaining", Help: "Last X-RateLimit-Remaining seen, by resource.",
		}, []string{"resource"}),
		QueueDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "distill_queue_jobs", Help: "Jobs in the queue by state (sampled).",
		}, []string{"state"}),
	}
	r.MustRegister(m.Deliveries, m.DeliveryLatency, m.Jobs, m.JobDuration, m.GitHubRequests, m.RateLimitRemaining, m.QueueDepth,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
