// Package ghapp authenticates distill as a GitHub App and hands out
// installation clients (ghinstallation + go-github), instrumented so every
// API call is counted by endpoint and status and the rate-limit budget is
// visible.
package ghapp

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/bot/metrics"
)

// DefaultBaseURL is GitHub.com's REST API.
const DefaultBaseURL = "https://api.github.com/"

// Config identifies the App.
type Config struct {
	AppID      int64
	PrivateKey []byte // PEM
	// BaseURL is the REST API root: https://api.github.com/ or
	// https://<host>/api/v3/ for GitHub Enterprise Server.
	BaseURL string
	Metrics *metrics.Metrics
	// Transport is the base transport (default http.DefaultTransport).
	Transport http.RoundTripper
}

// App hands out clients.
type App struct {
	cfg       Config
	base      http.RoundTripper
	apps      *ghinstallation.AppsTransport
	mu        sync.Mutex
	clients   map[int64]*github.Client
	identity  *Identity
	identityM sync.Mutex
}

// Identity is who the App is on GitHub.
type Identity struct {
	Slug     string
	Name     string
	BotLogin string // "<slug>[bot]"
}

// ValidateKey checks that a PEM holds an RSA private key, with a message
// that says what is wrong.
func ValidateKey(pemBytes []byte) error {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return errors.New("the private key is not PEM (expected a block starting with -----BEGIN RSA PRIVATE KEY-----, as GitHub's App settings page downloads it)")
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if _, ok := k.(interface{ Public() any }); ok {
			return nil
		}
	}
	return fmt.Errorf("the private key PEM block %q is not an RSA private key", block.Type)
}

// New prepares the App transports.
func New(cfg Config) (*App, error) {
	if cfg.AppID <= 0 {
		return nil, errors.New("app ID must be a positive number (GitHub App settings → App ID)")
	}
	if err := ValidateKey(cfg.PrivateKey); err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	base := cfg.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	base = &instrumented{next: base, m: cfg.Metrics}
	atr, err := ghinstallation.NewAppsTransport(base, cfg.AppID, cfg.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("loading the App private key: %w", err)
	}
	atr.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	return &App{cfg: cfg, base: base, apps: atr, clients: map[int64]*github.Client{}}, nil
}

func (a *App) newClient(rt http.RoundTripper) *github.Client {
	c := github.NewClient(&http.Client{Transport: rt, Timeout: 60 * time.Second})
	if a.cfg.BaseURL != DefaultBaseURL {
		c, _ = c.WithEnterpriseURLs(a.cfg.BaseURL, a.cfg.BaseURL)
	}
	return c
}

// AppClient is authenticated as the App itself (JWT), for /app endpoints.
func (a *App) AppClient() *github.Client {
	return a.newClient(a.apps)
}

// Installation returns the client of an installation. Clients are cached so
// that tokens are reused until they near expiry and go-github's
// rate-limit memory applies per installation.
func (a *App) Installation(id int64) *github.Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.clients[id]; ok {
		return c
	}
	itr := ghinstallation.NewFromAppsTransport(a.apps, id)
	itr.BaseURL = strings.TrimSuffix(a.cfg.BaseURL, "/")
	c := a.newClient(itr)
	a.clients[id] = c
	return c
}

// Identity fetches (once) the App's slug and bot login with GET /app.
func (a *App) Identity(ctx context.Context) (*Identity, error) {
	a.identityM.Lock()
	defer a.identityM.Unlock()
	if a.identity != nil {
		return a.identity, nil
	}
	app, _, err := a.AppClient().Apps.Get(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("GET /app (check the App ID and private key): %w", err)
	}
	a.identity = &Identity{Slug: app.GetSlug(), Name: app.GetName(), BotLogin: app.GetSlug() + "[bot]"}
	return a.identity, nil
}
