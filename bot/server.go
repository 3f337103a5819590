package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot/ghapp"
	"github.com/distill-bot/distill/bot/handlers"
	"github.com/distill-bot/distill/bot/metrics"
	"github.com/distill-bot/distill/bot/queue"
	"github.com/distill-bot/distill/bot/store"
	"github.com/distill-bot/distill/bot/verify"
	"github.com/distill-bot/distill/bot/webhook"
)

// Server is a running distill App: HTTP endpoint, job workers, database.
type Server struct {
	cfg      Config
	log      *slog.Logger
	DB       *store.DB
	Queue    *queue.Client
	App      *ghapp.App
	Metrics  *metrics.Metrics
	Echo     *echo.Echo
	listener net.Listener
	ready    atomic.Bool
	deps     *handlers.Deps

	transport     http.RoundTripper
	verifier      handlers.Verifier
	extraHandlers []handlers.EventHandler
	extraWorkers  []func(*river.Workers)
}

// Option customises a server (tests and `distill demo`).
type Option func(*Server)

// WithTransport sets the HTTP transport used to reach GitHub.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *Server) { s.transport = rt }
}

// WithVerifier sets the verifier of proposals (tests use a fake; by
// default BUILDKIT_HOST configures a BuildKit one).
func WithVerifier(v handlers.Verifier) Option {
	return func(s *Server) { s.verifier = v }
}

// New opens the database, migrates it and assembles the server. Start
// begins serving.
func New(ctx context.Context, cfg Config, log *slog.Logger, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	key, err := cfg.Key()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, Metrics: metrics.New()}
	for _, o := range opts {
		o(s)
	}
	s.App, err = ghapp.New(ghapp.Config{AppID: cfg.AppID, PrivateKey: key, BaseURL: cfg.GitHubURL, Metrics: s.Metrics, Transport: s.transport})
	if err != nil {
		return nil, fmt.Errorf("GitHub App credentials: %w", err)
	}
	s.DB, err = store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("database (--database-url / DISTILL_DATABASE_URL): %w", err)
	}
	if err := s.DB.Migrate(ctx); err != nil {
		s.DB.Close()
		return nil, err
	}
	s.deps = &handlers.Deps{DB: s.DB, GitHub: s.App, Metrics: s.Metrics, Log: log, CheckName: cfg.CheckName, MutationPause: cfg.MutationPause,
		JobTimeout: cfg.JobTimeout, VerifyTimeout: cfg.VerifyTimeout}
	workers := river.NewWorkers()
	router := handlers.NewDeliveryWorker(s.deps, s.eventHandlers()...)
	river.AddWorker(workers, router)
	river.AddWorker(workers, &handlers.ReviewWorker{Deps: s.deps, AfterReview: (&handlers.Followups{Deps: s.deps}).AfterReview})
	river.AddWorker(workers, &handlers.CommandWorker{Deps: s.deps})
	river.AddWorker(workers, &handlers.OnboardInstallationWorker{Deps: s.deps, Spacing: handlers.OnboardSpacing(cfg.MutationPause)})
	river.AddWorker(workers, &handlers.OnboardWorker{Deps: s.deps})
	if s.verifier == nil && cfg.BuildkitHost != "" {
		opts := verify.Options{BuildkitHost: cfg.BuildkitHost, AllowInsecureTCP: cfg.BuildkitInsecure}
		if cfg.BuildkitCA != "" || cfg.BuildkitCert != "" || cfg.BuildkitServerName != "" {
			opts.TLS = &verify.TLSOptions{CACert: cfg.BuildkitCA, Cert: cfg.BuildkitCert, Key: cfg.BuildkitKey, ServerName: cfg.BuildkitServerName}
		}
		v, err := verify.New(opts)
		if err != nil {
			return nil, fmt.Errorf("verification (BUILDKIT_HOST): %w", err)
		}
		s.verifier = v
	}
	vw := &handlers.VerifyWorker{Deps: s.deps}
	ow := &handlers.OptimizeWorker{Deps: s.deps}
	if s.verifier != nil {
		vw.Verifier, ow.Verifier = s.verifier, s.verifier
	}
	river.AddWorker(workers, vw)
	river.AddWorker(workers, ow)
	var periodic []*river.PeriodicJob
	if cfg.Retention > 0 {
		river.AddWorker(workers, &handlers.PruneWorker{Deps: s.deps, Retention: cfg.Retention})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return handlers.PruneArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	for _, add := range s.extraWorkers {
		add(workers)
	}
	s.Queue, err = queue.New(queue.Config{DB: s.DB, Workers: workers, Log: log, Concurrency: cfg.Concurrency, PollInterval: cfg.PollInterval,
		RetryBase: cfg.RetryBase, JobTimeout: cfg.JobTimeout, RescueAfter: cfg.RescueAfter, PeriodicJobs: periodic})
	if err != nil {
		s.DB.Close()
		return nil, err
	}
	s.Echo = s.routes(router)
	return s, nil
}

// eventHandlers lists every event handler (one registration list).
func (s *Server) eventHandlers() []handlers.EventHandler {
	onboarding := &handlers.Onboarding{Deps: s.deps}
	hs := []handlers.EventHandler{
		&handlers.Ping{Deps: s.deps},
		&handlers.PullRequest{Deps: s.deps},
		&handlers.Check{Deps: s.deps},
		&handlers.Installation{Deps: s.deps, OnNewRepos: onboarding.OnNewRepos, OnRemoved: onboarding.OnRemoved},
		&handlers.IssueComment{Deps: s.deps},
		&handlers.Issues{Deps: s.deps},
		&handlers.Push{Deps: s.deps},
	}
	return append(hs, s.extraHandlers...)
}

func (s *Server) routes(router *handlers.DeliveryWorker) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.Recover())
	e.Use(middleware.RequestID())
	secrets := [][]byte{[]byte(s.cfg.WebhookSecret)}
	if s.cfg.PreviousWebhookSecret != "" {
		secrets = append(secrets, []byte(s.cfg.PreviousWebhookSecret))
	}
	wh := &webhook.Handler{Secrets: secrets, Queue: s.Queue, DB: s.DB, Metrics: s.Metrics, Log: s.log, Known: router.Handles}
	e.POST(s.cfg.WebhookPath, wh.Echo)
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{})))
	return e
}

// readyz reports ready when the database answers and the App credentials
// were accepted by GitHub.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	problems := map[string]string{}
	if err := s.DB.PingContext(ctx); err != nil {
		problems["database"] = err.Error()
	}
	if !s.ready.Load() {
		problems["github"] = "App credentials not verified yet (GET /app)"
	}
	if len(problems) > 0 {
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "not ready", "problems": problems})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// Start starts the workers and the HTTP listener; it returns once both
// run. The App's identity is verified in the background (readyz waits
// for it) so a slow GitHub does not block accepting deliveries.
func (s *Server) Start(ctx context.Context) error {
	if s.DB.Dialect == store.SQLite {
		// A SQLite file belongs to one process: jobs still marked running
		// were interrupted by a crash and can be resumed right away.
		if n, err := queue.RecoverOrphans(ctx, s.DB); err != nil {
			return err
		} else if n > 0 {
			s.log.Warn("resuming jobs interrupted by a crash", "jobs", n)
		}
	}
	if err := s.Queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("starting the job queue: %w", err)
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s (--listen / DISTILL_LISTEN): %w", s.cfg.Listen, err)
	}
	s.listener = ln
	// The server is assigned before Start returns, so a Shutdown that
	// follows at once still finds it.
	srv := &http.Server{Handler: s.Echo, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute}
	s.Echo.Server = srv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", "error", err.Error())
		}
	}()
	go s.verifyIdentity(ctx)
	go s.sampleQueue(ctx)
	s.log.Info("distill serving", "listen", ln.Addr().String(), "webhook", s.cfg.WebhookPath, "database", s.DB.URL, "github", s.cfg.GitHubURL)
	return nil
}

func (s *Server) verifyIdentity(ctx context.Context) {
	for delay := time.Second; ; delay = min(delay*2, time.Minute) {
		id, err := s.App.Identity(ctx)
		if err == nil {
			s.ready.Store(true)
			s.log.Info("GitHub App verified", "slug", id.Slug)
			return
		}
		s.log.Error("GitHub rejected the App credentials or is unreachable", "error", err.Error())
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}

// sampleQueue exports the queue depth for alerting.
func (s *Server) sampleQueue(ctx context.Context) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		for _, state := range []string{"available", "retryable", "scheduled", "running"} {
			var n float64
			if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE state = ?`, state).Scan(&n); err == nil {
				s.Metrics.QueueDepth.WithLabelValues(state).Set(n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Addr returns the listener address.
func (s *Server) Addr() string {
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// Shutdown drains: it stops accepting deliveries, lets running jobs finish
// (within ctx), and closes the database. Jobs not started stay queued for
// the next start.
func (s *Server) Shutdown(ctx context.Context) error {
	var errs []error
	if s.Echo != nil && s.Echo.Server != nil {
		if err := s.Echo.Server.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.Queue != nil {
		if err := s.Queue.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stopping the job queue: %w", err))
		}
	}
	if s.DB != nil {
		errs = append(errs, s.DB.Close())
	}
	return errors.Join(errs...)
}
