// Package config defines distill's configuration file, .github/distill.yml,
// read by both the CLI (`distill check --config`) and the GitHub App (from
// the repository, with defaults from the organisation's .github repository).
//
// Decoding is strict: unknown keys, wrong types and invalid values are
// errors that carry the line and column, so a broken file can be fixed from
// the message alone.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/goccy/go-yaml"
)

// DefaultPath is where the file lives in a repository.
const DefaultPath = ".github/distill.yml"

// Config is the whole file. Every key is optional; see Defaults.
type Config struct {
	// Extends names another config to inherit from, as in Probot apps:
	// "repo", "owner/repo" or "repo:path/to/file.yml". Keys set here
	// replace the inherited keys as a whole (shallow merge).
	Extends string `yaml:"_extends,omitempty" json:"_extends,omitempty" jsonschema:"description=Inherit from another config: repo or owner/repo or repo:path/file.yml (top-level keys here replace inherited ones)"`
	// Mode: review (default) posts a review on every PR; pr also opens a
	// follow-up pull request with the conversion; off disables the App for
	// the repository.
	Mode string `yaml:"mode,omitempty" json:"mode,omitempty" jsonschema:"enum=review,enum=pr,enum=off,description=review posts reviews; pr also opens follow-up PRs automatically; off disables distill"`
	// Paths selects Dockerfiles beyond the default names.
	Paths Paths `yaml:"paths,omitempty" json:"paths,omitempty"`
	// Targets chooses the shipped stage per Dockerfile path when it is not
	// the last stage.
	Targets map[string]string `yaml:"targets,omitempty" json:"targets,omitempty" jsonschema:"description=Target stage per Dockerfile path (default: the last stage)"`
	// Rules disables rules and changes severities.
	Rules Rules `yaml:"rules,omitempty" json:"rules,omitempty"`
	// FailOn is the severity at which `distill check` exits 1 and the check
	// run concludes failure. Unset: the CLI fails on warnings and the check
	// run is neutral.
	FailOn string `yaml:"fail_on,omitempty" json:"fail_on,omitempty" jsonschema:"enum=error,enum=warning,enum=info,enum=none,description=Severity that fails distill check and the check run"`
	// Images shapes the proposed images.
	Images Images `yaml:"images,omitempty" json:"images,omitempty"`
	// Commands configures comment commands such as /optimize.
	Commands Commands `yaml:"commands,omitempty" json:"commands,omitempty"`
	// CheckRun configures the `distill` check run.
	CheckRun CheckRun `yaml:"check_run,omitempty" json:"check_run,omitempty"`
	// Drafts reviews draft pull requests too (default false).
	Drafts *bool `yaml:"drafts,omitempty" json:"drafts,omitempty" jsonschema:"description=Review draft pull requests (default false)"`
	// Onboarding: report (default) opens a "distill report" issue when the
	// App is installed on a repository with Dockerfiles; off does nothing.
	Onboarding string `yaml:"onboarding,omitempty" json:"onboarding,omitempty" jsonschema:"enum=report,enum=off"`
	// Verify builds proposals with BuildKit: off (default), on, required.
	Verify string `yaml:"verify,omitempty" json:"verify,omitempty" jsonschema:"enum=off,enum=on,enum=required,description=Build and inspect proposals with BuildKit before offering them"`
}

// Paths selects files.
type Paths struct {
	// Include adds glob patterns (path.Match syntax with ** for any
	// directories) of files to treat as Dockerfiles.
	Include []string `yaml:"include,omitempty" json:"include,omitempty" jsonschema:"description=Extra globs of Dockerfiles (** matches directories)"`
	// Exclude removes matching files.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty" jsonschema:"description=Globs of files to ignore"`
}

// Rules adjusts the rule set.
type Rules struct {
	Disable  []string          `yaml:"disable,omitempty" json:"disable,omitempty" jsonschema:"description=Rule names to turn off"`
	Severity map[string]string `yaml:"severity,omitempty" json:"severity,omitempty" jsonschema:"description=Rule name to severity (error warning info)"`
}

// Images shapes proposed images.
type Images struct {
	// Debian is the release of proposed distroless images: 13 (default) or
	// 12 (only static, base and cc exist for 12).
	Debian int `yaml:"debian,omitempty" json:"debian,omitempty" jsonschema:"enum=12,enum=13"`
	// Nonroot proposes :nonroot images (default true).
	Nonroot *bool `yaml:"nonroot,omitempty" json:"nonroot,omitempty"`
	// PinDigest asks for digest-pinned base images (reported as info).
	PinDigest bool `yaml:"pin_digest,omitempty" json:"pin_digest,omitempty"`
	// AllowVersionChange lets conversions move Python/Node to the version
	// distroless ships, as a flagged behaviour change (default true).
	AllowVersionChange *bool `yaml:"allow_version_change,omitempty" json:"allow_version_change,omitempty"`
}

// Commands configures comment commands.
type Commands struct {
	Enabled *bool `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	// Permission is the minimum repository permission of a commenter:
	// admin, maintain, write (default) or triage.
	Permission string `yaml:"permission,omitempty" json:"permission,omitempty" jsonschema:"enum=admin,enum=maintain,enum=write,enum=triage"`
}

// CheckRun configures the check run.
type CheckRun struct {
	Enabled *bool `yaml:"enabled,omitempty" json:"enabled,omitempty"`
}

// Error is a configuration problem with its position (Line 0: unknown).
type Error struct {
	Path    string
	Line    int
	Column  int
	Message string
}

func (e *Error) Error() string {
	p := e.Path
	if p == "" {
		p = "config"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", p, e.Line, e.Column, e.Message)
	}
	return fmt.Sprintf("%s: %s", p, e.Message)
}

// MaxSize bounds config files; they are a few hundred bytes in practice.
const MaxSize = 256 << 10

// Parse decodes a config file strictly. name is used in error messages.
// knownRules, when non-nil, validates rule names.
func Parse(name string, data []byte, knownRules func(string) bool) (*Config, error) {
	if len(data) > MaxSize {
		return nil, &Error{Path: name, Message: fmt.Sprintf("file is %d bytes; the limit is %d", len(data), MaxSize)}
	}
	c := &Config{}
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	if err := yaml.UnmarshalWithOptions(data, c, yaml.Strict()); err != nil {
		return nil, yamlError(name, err)
	}
	if err := c.validate(name, data, knownRules); err != nil {
		return nil, err
	}
	return c, nil
}

func yamlError(name string, err error) *Error {
	e := &Error{Path: name, Message: err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		e.Message = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
	}
	e.Message = strings.TrimSpace(e.Message)
	return e
}

// position finds the line and column of a YAML path such as
// "$.rules.disable[1]"; zeros when it cannot.
func position(data []byte, p string) (int, int) {
	yp, err := yaml.PathString(p)
	if err != nil {
		return 0, 0
	}
	node, err := yp.ReadNode(bytes.NewReader(data))
	if err != nil || node == nil || node.GetToken() == nil || node.GetToken().Position == nil {
		return 0, 0
	}
	pos := node.GetToken().Position
	return pos.Line, pos.Column
}

func (c *Config) validate(name string, data []byte, knownRules func(string) bool) error {
	bad := func(p, format string, args ...any) error {
		line, col := position(data, p)
		return &Error{Path: name, Line: line, Column: col, Message: fmt.Sprintf(format, args...)}
	}
	if !oneOf(c.Mode, "", "review", "pr", "off") {
		return bad("$.mode", "mode %q is not one of review, pr, off", c.Mode)
	}
	if !oneOf(c.FailOn, "", "error", "warning", "info", "none") {
		return bad("$.fail_on", "fail_on %q is not one of error, warning, info, none", c.FailOn)
	}
	if !oneOf(c.Onboarding, "", "report", "off") {
		return bad("$.onboarding", "onboarding %q is not one of report, off", c.Onboarding)
	}
	if !oneOf(c.Verify, "", "off", "on", "required") {
		return bad("$.verify", "verify %q is not one of off, on, required", c.Verify)
	}
	if c.Images.Debian != 0 && c.Images.Debian != 12 && c.Images.Debian != 13 {
		return bad("$.images.debian", "images.debian %d is not 12 or 13", c.Images.Debian)
	}
	if !oneOf(c.Commands.Permission, "", "admin", "maintain", "write", "triage") {
		return bad("$.commands.permission", "commands.permission %q is not one of admin, maintain, write, triage", c.Commands.Permission)
	}
	for i, g := range append(append([]string(nil), c.Paths.Include...), c.Paths.Exclude...) {
		if !doublestar.ValidatePattern(g) {
			key := fmt.Sprintf("$.paths.include[%d]", i)
			if i >= len(c.Paths.Include) {
				key = fmt.Sprintf("$.paths.exclude[%d]", i-len(c.Paths.Include))
			}
			return bad(key, "invalid glob %q", g)
		}
	}
	if knownRules != nil {
		for i, r := range c.Rules.Disable {
			if !knownRules(r) {
				return bad(fmt.Sprintf("$.rules.disable[%d]", i), "unknown rule %q (see `distill rules`)", r)
			}
		}
	}
	for r, s := range c.Rules.Severity {
		if knownRules != nil && !knownRules(r) {
			return bad("$.rules.severity."+r, "unknown rule %q (see `distill rules`)", r)
		}
		if !oneOf(s, "error", "warning", "info") {
			return bad("$.rules.severity."+r, "severity %q for %s is not one of error, warning, info", s, r)
		}
	}
	return nil
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// DebianRelease returns the configured Debian release (default 13).
func (c *Config) DebianRelease() int {
	if c == nil || c.Images.Debian == 0 {
		return 13
	}
	return c.Images.Debian
}

// NonRoot reports whether proposals use :nonroot (default true).
func (c *Config) NonRoot() bool {
	return c == nil || c.Images.Nonroot == nil || *c.Images.Nonroot
}

// AllowVersionChange reports whether conversions may change the language
// version (default true).
func (c *Config) AllowVersionChange() bool {
	return c == nil || c.Images.AllowVersionChange == nil || *c.Images.AllowVersionChange
}

// RuleDisabled reports whether a rule is turned off.
func (c *Config) RuleDisabled(name string) bool {
	if c == nil {
		return false
	}
	for _, r := range c.Rules.Disable {
		if r == name {
			return true
		}
	}
	return false
}

// SeverityOverride returns the configured severity of a rule, if any.
func (c *Config) SeverityOverride(rule string) (analysis.Severity, bool) {
	if c == nil {
		return 0, false
	}
	s, ok := c.Rules.Severity[rule]
	if !ok {
		return 0, false
	}
	sev, err := analysis.ParseSeverity(s)
	return sev, err == nil
}

// ModeOrDefault returns the mode, "review" when unset.
func (c *Config) ModeOrDefault() string {
	if c == nil || c.Mode == "" {
		return "review"
	}
	return c.Mode
}

// DraftsEnabled reports whether draft PRs are reviewed (default false).
func (c *Config) DraftsEnabled() bool { return c != nil && c.Drafts != nil && *c.Drafts }

// CommandsEnabled reports whether comment commands run (default true).
func (c *Config) CommandsEnabled() bool {
	return c == nil || c.Commands.Enabled == nil || *c.Commands.Enabled
}

// MinPermission returns the minimum permission for commands (default write).
func (c *Config) MinPermission() string {
	if c == nil || c.Commands.Permission == "" {
		return "write"
	}
	return c.Commands.Permission
}

// CheckRunEnabled reports whether the check run is posted (default true).
func (c *Config) CheckRunEnabled() bool {
	return c == nil || c.CheckRun.Enabled == nil || *c.CheckRun.Enabled
}

// OnboardingOrDefault returns onboarding, "report" when unset.
func (c *Config) OnboardingOrDefault() string {
	if c == nil || c.Onboarding == "" {
		return "report"
	}
	return c.Onboarding
}

// VerifyOrDefault returns verify, "off" when unset.
func (c *Config) VerifyOrDefault() string {
	if c == nil || c.Verify == "" {
		return "off"
	}
	return c.Verify
}

// Target returns the configured target stage for a Dockerfile path.
func (c *Config) Target(p string) string {
	if c == nil {
		return ""
	}
	return c.Targets[p]
}

// Matches reports whether a repository path matches a glob of Paths
// (doublestar syntax: ** spans directories).
func Matches(pattern, p string) bool {
	ok, err := doublestar.Match(pattern, p)
	return err == nil && ok
}
