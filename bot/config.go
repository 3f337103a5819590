// Package bot wires distill's GitHub App together: configuration, the
// database, the job queue, the webhook endpoint, the handlers and the HTTP
// server. It holds no review logic of its own.
package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/distill-bot/distill/bot/ghapp"
)

// Config is the configuration of `distill serve`, from flags and
// DISTILL_* environment variables.
type Config struct {
	AppID          int64
	PrivateKeyFile string
	PrivateKey     string // PEM, instead of the file
	WebhookSecret  string
	// PreviousWebhookSecret is also accepted, for rotation without
	// downtime.
	PreviousWebhookSecret string
	GitHubURL             string
	DatabaseURL           string
	Listen                string
	WebhookPath           string
	LogLevel              string
	Concurrency           int
	// BuildkitHost enables verification builds (BUILDKIT_HOST).
	BuildkitHost string
	// BuildkitInsecure allows a plain tcp:// BuildKit daemon (loopback).
	BuildkitInsecure bool
	// BuildkitCA, BuildkitCert, BuildkitKey and BuildkitServerName
	// configure mutual TLS to a tcp:// BuildKit daemon (file paths).
	BuildkitCA, BuildkitCert, BuildkitKey, BuildkitServerName string
	// VerifyTimeout bounds one verification job (every Dockerfile of one
	// head, original and proposal built).
	VerifyTimeout time.Duration
	// Retention is how long deliveries and the state of closed pull
	// requests are kept; negative keeps everything.
	Retention time.Duration
	// CheckName is the name of the check run.
	CheckName string
	// MutationPause spaces content-creating GitHub requests.
	MutationPause time.Duration
	// PollInterval is the job queue's poll interval.
	PollInterval time.Duration
	// RetryBase is the first retry delay of failed jobs.
	RetryBase time.Duration
	// JobTimeout bounds the run time of every job but verification:
	// each kind keeps its own shorter default (a delivery 1m, a review
	// 10m) and never runs longer than this.
	JobTimeout time.Duration
	// RescueAfter is how long a job that was running when its process died
	// waits before another worker takes it over (Postgres; on SQLite a
	// restarted process recovers it at once).
	RescueAfter time.Duration
}

// Defaults returns the configuration defaults.
func Defaults() Config {
	return Config{
		GitHubURL:     ghapp.DefaultBaseURL,
		DatabaseURL:   "distill.db",
		Listen:        ":8080",
		WebhookPath:   "/webhook",
		LogLevel:      "info",
		Concurrency:   4,
		CheckName:     "distill",
		MutationPause: time.Second,
		PollInterval:  250 * time.Millisecond,
		RetryBase:     10 * time.Second,
		JobTimeout:    10 * time.Minute,
		RescueAfter:   15 * time.Minute,
		VerifyTimeout: 45 * time.Minute,
		Retention:     30 * 24 * time.Hour,
	}
}

// EnvVar documents one environment variable.
type EnvVar struct{ Name, Flag, Help string }

// Env lists the environment variables serve reads (the README's
// configuration reference is generated from the same list by a test).
var Env = []EnvVar{
	{"DISTILL_APP_ID", "--app-id", "GitHub App ID (App settings → About)"},
	{"DISTILL_PRIVATE_KEY_FILE", "--private-key-file", "path of the App's private key (.pem)"},
	{"DISTILL_PRIVATE_KEY", "", "the private key PEM itself, instead of a file"},
	{"DISTILL_WEBHOOK_SECRET", "--webhook-secret", "webhook secret (App settings → Webhook secret)"},
	{"DISTILL_WEBHOOK_SECRET_FILE", "--webhook-secret-file", "file holding the webhook secret"},
	{"DISTILL_WEBHOOK_SECRET_PREVIOUS", "", "a previous webhook secret still accepted during rotation"},
	{"DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE", "", "file holding the previous webhook secret"},
	{"DISTILL_GITHUB_URL", "--github-url", "REST API base URL (default https://api.github.com/; GHES: https://HOST/api/v3/)"},
	{"DISTILL_DATABASE_URL", "--database-url", "database: a SQLite file path (default distill.db) or postgres://…; DATABASE_URL is read too"},
	{"DISTILL_DATABASE_URL_FILE", "", "file holding the database URL (keeps a Postgres password out of the environment)"},
	{"DISTILL_LISTEN", "--listen", "HTTP listen address (default :8080)"},
	{"DISTILL_WEBHOOK_PATH", "--webhook-path", "webhook route (default /webhook)"},
	{"DISTILL_LOG_LEVEL", "--log-level", "debug, info, warn or error (default info)"},
	{"DISTILL_CONCURRENCY", "--concurrency", "jobs worked at once per process (default 4)"},
	{"DISTILL_BUILDKIT_INSECURE", "", "set to 1 to allow a plain tcp:// BuildKit daemon (loopback or a trusted network only)"},
	{"DISTILL_BUILDKIT_CA", "", "CA bundle that signed the tcp:// BuildKit daemon's certificate"},
	{"DISTILL_BUILDKIT_CERT", "", "client certificate for a tcp:// BuildKit daemon (with DISTILL_BUILDKIT_KEY)"},
	{"DISTILL_BUILDKIT_KEY", "", "client key for a tcp:// BuildKit daemon"},
	{"DISTILL_BUILDKIT_SERVER_NAME", "", "name to verify in the BuildKit daemon's certificate (default: the host of BUILDKIT_HOST)"},
	{"DISTILL_JOB_TIMEOUT", "", "maximum run time of a delivery, review or command job (default 10m)"},
	{"DISTILL_VERIFY_TIMEOUT", "", "maximum run time of one verification job, all of a head's builds (default 45m)"},
	{"DISTILL_RESCUE_AFTER", "", "how long a job whose process died waits before another replica takes it over (default 15m; must exceed the job timeout)"},
	{"DISTILL_RETENTION", "", "how long deliveries and closed pull requests' state are kept, pruned every 6h (default 720h = 30 days; at least 168h, GitHub's redelivery window; off keeps everything)"},
	{"DISTILL_POLL_INTERVAL", "", "how often idle workers look for jobs (default 250ms)"},
	{"DISTILL_RETRY_BASE", "", "first retry delay of a failed job, doubled per attempt up to 30m (default 10s)"},
	{"DISTILL_MUTATION_PAUSE", "", "pause between content-creating GitHub requests (default 1s, as GitHub asks)"},
	{"BUILDKIT_HOST", "--buildkit-host", "BuildKit daemon for verification builds (unix:///… or tcp://…); empty disables verification"},
}

// FromEnv fills unset fields from the environment.
func (c *Config) FromEnv(getenv func(string) string) error {
	str := func(dst *string, names ...string) {
		if *dst != "" {
			return
		}
		for _, n := range names {
			if v := getenv(n); v != "" {
				*dst = v
				return
			}
		}
	}
	if c.AppID == 0 {
		if v := getenv("DISTILL_APP_ID"); v != "" {
			id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return fmt.Errorf("DISTILL_APP_ID=%q is not a number: use the numeric App ID from the App's settings page", v)
			}
			c.AppID = id
		}
	}
	str(&c.PrivateKeyFile, "DISTILL_PRIVATE_KEY_FILE")
	str(&c.PrivateKey, "DISTILL_PRIVATE_KEY")
	str(&c.WebhookSecret, "DISTILL_WEBHOOK_SECRET")
	if err := fromFile(&c.WebhookSecret, "DISTILL_WEBHOOK_SECRET_FILE", getenv); err != nil {
		return err
	}
	str(&c.PreviousWebhookSecret, "DISTILL_WEBHOOK_SECRET_PREVIOUS")
	if err := fromFile(&c.PreviousWebhookSecret, "DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE", getenv); err != nil {
		return err
	}
	str(&c.GitHubURL, "DISTILL_GITHUB_URL")
	str(&c.DatabaseURL, "DISTILL_DATABASE_URL", "DATABASE_URL")
	if err := fromFile(&c.DatabaseURL, "DISTILL_DATABASE_URL_FILE", getenv); err != nil {
		return err
	}
	str(&c.Listen, "DISTILL_LISTEN")
	str(&c.WebhookPath, "DISTILL_WEBHOOK_PATH")
	str(&c.LogLevel, "DISTILL_LOG_LEVEL")
	str(&c.BuildkitHost, "BUILDKIT_HOST")
	if v := getenv("DISTILL_BUILDKIT_INSECURE"); v == "1" || v == "true" {
		c.BuildkitInsecure = true
	}
	str(&c.BuildkitCA, "DISTILL_BUILDKIT_CA")
	str(&c.BuildkitCert, "DISTILL_BUILDKIT_CERT")
	str(&c.BuildkitKey, "DISTILL_BUILDKIT_KEY")
	str(&c.BuildkitServerName, "DISTILL_BUILDKIT_SERVER_NAME")
	for _, d := range []struct {
		dst  *time.Duration
		name string
	}{{&c.JobTimeout, "DISTILL_JOB_TIMEOUT"}, {&c.RescueAfter, "DISTILL_RESCUE_AFTER"}, {&c.PollInterval, "DISTILL_POLL_INTERVAL"},
		{&c.RetryBase, "DISTILL_RETRY_BASE"}, {&c.MutationPause, "DISTILL_MUTATION_PAUSE"}, {&c.VerifyTimeout, "DISTILL_VERIFY_TIMEOUT"}} {
		if v := getenv(d.name); v != "" && *d.dst == 0 {
			dur, err := time.ParseDuration(v)
			if err != nil || dur <= 0 {
				return fmt.Errorf("%s=%q is not a positive duration such as 10m or 90s", d.name, v)
			}
			*d.dst = dur
		}
	}
	if v := getenv("DISTILL_RETENTION"); v != "" && c.Retention == 0 {
		if v == "off" {
			c.Retention = -1
		} else if dur, err := time.ParseDuration(v); err != nil || dur <= 0 {
			return fmt.Errorf("DISTILL_RETENTION=%q is not a positive duration such as 720h, or off", v)
		} else {
			c.Retention = dur
		}
	}
	if c.Concurrency == 0 {
		if v := getenv("DISTILL_CONCURRENCY"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("DISTILL_CONCURRENCY=%q must be a positive number", v)
			}
			c.Concurrency = n
		}
	}
	return nil
}

// fromFile fills an unset *dst with the trimmed contents of the file the
// environment variable name points at (Kubernetes and compose secrets are
// mounted as files).
func fromFile(dst *string, name string, getenv func(string) string) error {
	f := getenv(name)
	if *dst != "" || f == "" {
		return nil
	}
	b, err := os.ReadFile(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return fmt.Errorf("%s: %s is empty", name, f)
	}
	*dst = v
	return nil
}

// Validate reports the first missing or invalid setting with how to fix it.
func (c *Config) Validate() error {
	var problems []string
	if c.AppID <= 0 {
		problems = append(problems, "the GitHub App ID is missing: set --app-id or DISTILL_APP_ID (App settings → About → App ID)")
	}
	if c.PrivateKeyFile == "" && c.PrivateKey == "" {
		problems = append(problems, "the App private key is missing: set --private-key-file or DISTILL_PRIVATE_KEY_FILE (a .pem generated in the App settings), or DISTILL_PRIVATE_KEY with the PEM itself")
	}
	if c.WebhookSecret == "" {
		problems = append(problems, "the webhook secret is missing: set --webhook-secret, DISTILL_WEBHOOK_SECRET or DISTILL_WEBHOOK_SECRET_FILE (the secret entered in the App settings)")
	}
	if !strings.HasPrefix(c.WebhookPath, "/") {
		problems = append(problems, fmt.Sprintf("--webhook-path %q must start with /", c.WebhookPath))
	}
	if !strings.HasPrefix(c.GitHubURL, "http://") && !strings.HasPrefix(c.GitHubURL, "https://") {
		problems = append(problems, fmt.Sprintf("--github-url %q must be an http(s) URL such as https://api.github.com/ or https://github.example.com/api/v3/", c.GitHubURL))
	}
	if c.JobTimeout > 0 && c.RescueAfter > 0 && c.RescueAfter <= c.JobTimeout {
		problems = append(problems, fmt.Sprintf("DISTILL_RESCUE_AFTER (%s) must be longer than DISTILL_JOB_TIMEOUT (%s)", c.RescueAfter, c.JobTimeout))
	}
	if c.Retention > 0 && c.Retention < 7*24*time.Hour {
		problems = append(problems, fmt.Sprintf("DISTILL_RETENTION (%s) must be at least 168h: GitHub redelivers webhooks up to 7 days old, and distill must still recognise them", c.Retention))
	}
	if (c.BuildkitCert == "") != (c.BuildkitKey == "") {
		problems = append(problems, "DISTILL_BUILDKIT_CERT and DISTILL_BUILDKIT_KEY go together: set both for mutual TLS, or neither")
	}
	if _, err := ParseLevel(c.LogLevel); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// Key returns the private key PEM.
func (c *Config) Key() ([]byte, error) {
	if c.PrivateKey != "" {
		return []byte(c.PrivateKey), nil
	}
	b, err := os.ReadFile(c.PrivateKeyFile)
	if err != nil {
		return nil, fmt.Errorf("reading the App private key: %w (check --private-key-file / DISTILL_PRIVATE_KEY_FILE)", err)
	}
	return b, nil
}

// ParseLevel parses a log level.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log level %q is not one of debug, info, warn, error", s)
	}
	return l, nil
}

//go:generate go run ./genenv -readme ../README.md

// EnvTable renders the README's table of environment variables.
func EnvTable() string {
	var b strings.Builder
	b.WriteString("| variable | flag | meaning |\n|---|---|---|\n")
	for _, e := range Env {
		flag := e.Flag
		if flag == "" {
			flag = "—"
		} else {
			flag = "`" + flag + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", e.Name, flag, e.Help)
	}
	return b.String()
}
