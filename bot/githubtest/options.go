package githubtest

import "time"

// Option configures a Server.
type Option func(*config)

type config struct {
	appID         int64
	appSlug       string
	appName       string
	appOwner      string
	botUserID     int64
	rateLimit     int
	tokenLifetime time.Duration
	patchLimits   PatchLimits
	start         time.Time
	maxFiles      int
	logf          func(format string, args ...any)
}

func defaultConfig() config {
	return config{
		appID:         424242,
		appSlug:       "distill-test",
		appName:       "Distill Test",
		appOwner:      "distill-bot",
		botUserID:     41898282,
		rateLimit:     5000,
		tokenLifetime: time.Hour,
		patchLimits:   DefaultPatchLimits,
		maxFiles:      3000,
	}
}

// WithApp sets the App's id and slug (default 424242, "distill-test"); the bot user is "<slug>[bot]".
func WithApp(id int64, slug string) Option {
	return func(c *config) { c.appID, c.appSlug = id, slug }
}

// WithRateLimit sets the primary rate limit per hour and per token bucket (default 5,000, GitHub's
// minimum for installation tokens). Tests of back-off set it low.
func WithRateLimit(perHour int) Option { return func(c *config) { c.rateLimit = perHour } }

// WithTokenLifetime changes the installation-token lifetime (default one hour, as on GitHub).
func WithTokenLifetime(d time.Duration) Option { return func(c *config) { c.tokenLifetime = d } }

// WithPatchLimits sets when pulls/files leaves out `patch` for a large diff (default DefaultPatchLimits).
func WithPatchLimits(l PatchLimits) Option { return func(c *config) { c.patchLimits = l } }

// WithMaxFiles caps the files pulls/files lists (default 3,000, GitHub's limit).
func WithMaxFiles(n int) Option { return func(c *config) { c.maxFiles = n } }

// WithClock starts the fake clock at t instead of the wall clock. JWTs are still checked against the
// wall clock (see Server.Now).
func WithClock(t time.Time) Option { return func(c *config) { c.start = t } }

// WithLogf sends one line per request to logf (e.g. t.Logf) — handy when a bot test fails.
func WithLogf(logf func(format string, args ...any)) Option { return func(c *config) { c.logf = logf } }
