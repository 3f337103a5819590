// Package bottest runs distill's App against the fake GitHub in one
// process: a real HTTP server for each, real signed webhooks between them,
// and a SQLite database in a temporary directory. Scenario tests and
// `distill demo` use it.
package bottest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/distill-bot/distill/bot"
	"github.com/distill-bot/distill/bot/githubtest"
	"github.com/distill-bot/distill/bot/githubtest/hook"
)

// Secret is the webhook secret the environment uses.
const Secret = "distill-test-secret"

// Env is a running fake GitHub plus a running distill.
type Env struct {
	GitHub *githubtest.Server
	Server *bot.Server
	Config bot.Config
	URL    string // distill's base URL
	dir    string
	log    *slog.Logger
	ownGH  bool
}

// Options tune the environment.
type Options struct {
	// Dir holds the database; "" makes a temporary directory.
	Dir string
	// Log receives distill's logs; nil discards them.
	Log io.Writer
	// GitHub reuses a running fake (to restart distill on the same state).
	GitHub *githubtest.Server
	// Configure adjusts the configuration before the server starts.
	Configure func(*bot.Config)
	// ServerOptions are passed to bot.New.
	ServerOptions []bot.Option
}

// Start starts the environment. Close it when done.
func Start(ctx context.Context, opt Options) (*Env, error) {
	e := &Env{dir: opt.Dir, GitHub: opt.GitHub}
	if e.dir == "" {
		d, err := os.MkdirTemp("", "distill-env-*")
		if err != nil {
			return nil, err
		}
		e.dir = d
	}
	if e.GitHub == nil {
		gh, err := githubtest.Start()
		if err != nil {
			return nil, err
		}
		e.GitHub, e.ownGH = gh, true
	}
	w := opt.Log
	if w == nil {
		w = io.Discard
	}
	e.log = slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.Config = bot.Defaults()
	e.Config.AppID = e.GitHub.AppID()
	e.Config.PrivateKey = string(e.GitHub.PrivateKeyPEM())
	e.Config.WebhookSecret = Secret
	e.Config.GitHubURL = e.GitHub.APIURL()
	e.Config.DatabaseURL = filepath.Join(e.dir, "distill.db")
	e.Config.Listen = "127.0.0.1:0"
	e.Config.MutationPause = 0
	e.Config.PollInterval = 20 * time.Millisecond
	e.Config.RetryBase = 50 * time.Millisecond
	e.Config.Concurrency = 4
	if opt.Configure != nil {
		opt.Configure(&e.Config)
	}
	srv, err := bot.New(ctx, e.Config, e.log, opt.ServerOptions...)
	if err != nil {
		e.Close()
		return nil, err
	}
	if err := srv.Start(ctx); err != nil {
		srv.Shutdown(context.Background())
		e.Close()
		return nil, err
	}
	e.Server = srv
	e.URL = "http://" + srv.Addr()
	return e, nil
}

// Close stops distill and (if it started it) the fake GitHub.
func (e *Env) Close() {
	if e.Server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		e.Server.Shutdown(ctx)
		cancel()
		e.Server = nil
	}
	if e.ownGH && e.GitHub != nil {
		e.GitHub.Close()
	}
}

// Dir is the directory holding the database.
func (e *Env) Dir() string { return e.dir }

// Deliver posts a signed webhook and returns the HTTP status.
func (e *Env) Deliver(ctx context.Context, event, delivery string, payload []byte) (int, error) {
	resp, err := hook.Deliver(ctx, e.URL+e.Config.WebhookPath, Secret, event, delivery, payload)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// WaitIdle waits until no job is queued, running or waiting to retry.
func (e *Env) WaitIdle(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	idle := 0
	for time.Now().Before(deadline) {
		var n int
		err := e.Server.DB.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			idle++
			if idle >= 3 {
				return nil
			}
		} else {
			idle = 0
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("jobs still pending after %s", timeout)
}

// Get fetches a distill endpoint (healthz, readyz, metrics).
func (e *Env) Get(ctx context.Context, path string) (int, string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.URL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}
