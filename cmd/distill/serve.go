package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/bot"
)

func addServe(root *cobra.Command) {
	cfg := bot.Config{}
	var secretFile string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the distill GitHub App: webhook endpoint and review workers",
		Long: `serve receives GitHub webhooks, queues them durably and reviews pull requests that
change Dockerfiles. Every flag has a DISTILL_* environment variable (see the README's
configuration reference); flags win over the environment.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if secretFile != "" && cfg.WebhookSecret == "" {
				b, err := os.ReadFile(secretFile)
				if err != nil {
					return usageErrorf("--webhook-secret-file: %v", err)
				}
				cfg.WebhookSecret = string(trimSpace(b))
			}
			def := bot.Defaults()
			if err := cfg.FromEnv(os.Getenv); err != nil {
				return usageErrorf("%v", err)
			}
			fillDefaults(&cfg, def)
			if err := cfg.Validate(); err != nil {
				return usageErrorf("configuration:\n%v", err)
			}
			level, _ := bot.ParseLevel(cfg.LogLevel)
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			ctx := cmd.Context()
			srv, err := bot.New(ctx, cfg, log)
			if err != nil {
				return err
			}
			if err := srv.Start(ctx); err != nil {
				srv.Shutdown(context.Background())
				return err
			}
			<-ctx.Done()
			log.Info("shutting down: draining deliveries and running jobs")
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			return srv.Shutdown(shutdownCtx)
		},
	}
	f := cmd.Flags()
	f.Int64Var(&cfg.AppID, "app-id", 0, "GitHub App ID (DISTILL_APP_ID)")
	f.StringVar(&cfg.PrivateKeyFile, "private-key-file", "", "App private key .pem (DISTILL_PRIVATE_KEY_FILE; or the PEM in DISTILL_PRIVATE_KEY)")
	f.StringVar(&cfg.WebhookSecret, "webhook-secret", "", "webhook secret (DISTILL_WEBHOOK_SECRET)")
	f.StringVar(&secretFile, "webhook-secret-file", "", "file holding the webhook secret (DISTILL_WEBHOOK_SECRET_FILE)")
	f.StringVar(&cfg.GitHubURL, "github-url", "", "REST API base URL (DISTILL_GITHUB_URL; default https://api.github.com/)")
	f.StringVar(&cfg.DatabaseURL, "database-url", "", "SQLite file or postgres:// URL (DISTILL_DATABASE_URL or DATABASE_URL; default distill.db)")
	f.StringVar(&cfg.Listen, "listen", "", "listen address (DISTILL_LISTEN; default :8080)")
	f.StringVar(&cfg.WebhookPath, "webhook-path", "", "webhook route (DISTILL_WEBHOOK_PATH; default /webhook)")
	f.StringVar(&cfg.LogLevel, "log-level", "", "debug, info, warn, error (DISTILL_LOG_LEVEL; default info)")
	f.IntVar(&cfg.Concurrency, "concurrency", 0, "jobs worked at once (DISTILL_CONCURRENCY; default 4)")
	f.StringVar(&cfg.BuildkitHost, "buildkit-host", "", "BuildKit daemon for verification (BUILDKIT_HOST)")
	root.AddCommand(cmd)
}

func fillDefaults(c *bot.Config, d bot.Config) {
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&c.GitHubURL, d.GitHubURL)
	set(&c.DatabaseURL, d.DatabaseURL)
	set(&c.Listen, d.Listen)
	set(&c.WebhookPath, d.WebhookPath)
	set(&c.LogLevel, d.LogLevel)
	set(&c.CheckName, d.CheckName)
	if c.Concurrency == 0 {
		c.Concurrency = d.Concurrency
	}
	if c.MutationPause == 0 {
		c.MutationPause = d.MutationPause
	}
	if c.PollInterval == 0 {
		c.PollInterval = d.PollInterval
	}
	if c.RetryBase == 0 {
		c.RetryBase = d.RetryBase
	}
	if c.JobTimeout == 0 {
		c.JobTimeout = d.JobTimeout
	}
	if c.Retention == 0 {
		c.Retention = d.Retention
	}
	if c.VerifyTimeout == 0 {
		c.VerifyTimeout = d.VerifyTimeout
	}
	if c.RescueAfter == 0 {
		c.RescueAfter = max(d.RescueAfter, c.JobTimeout+5*time.Minute)
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}
