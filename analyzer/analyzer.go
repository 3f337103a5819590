// Package analyzer is distill's engine: bytes in, findings and proposals
// out, no I/O. The CLI (`distill check`, `distill fix`) and the GitHub App
// call the same functions.
//
//   - Check parses a Dockerfile, runs every enabled rule over the stages
//     that matter for the target, applies suppressions and configuration,
//     and returns the findings.
//   - Convert (convert.go) turns a Dockerfile into a multi-stage build with a
//     distroless final image, or declines with a reason.
package analyzer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/rules"
)

// Re-exported API types, so callers need only this package.
type (
	Finding  = analysis.Finding
	Severity = analysis.Severity
	Rule     = analysis.Rule
	Fix      = analysis.Fix
	Edit     = analysis.Edit
)

// Severities.
const (
	Info    = analysis.Info
	Warning = analysis.Warning
	Error   = analysis.Error
)

// Options configure a check.
type Options struct {
	// Path names the file in findings.
	Path string
	// Target is the stage to analyse; "" means the configured target for
	// Path, else the last stage.
	Target string
	// Config is the repository configuration; nil means defaults.
	Config *config.Config
	// BuildArgs override ARG defaults in FROM lines.
	BuildArgs map[string]string
	// MaxSize is the input size limit; 0 means 1 MiB.
	MaxSize int
	// Now is the date rules compare support end dates with; zero means
	// time.Now().
	Now time.Time
	// Rules overrides the rule set (tests); nil means rules.All().
	Rules []*analysis.Rule
	// Context holds repository files next to the Dockerfile; rules use it
	// through the converter's outlook so check and fix agree.
	Context *RepoContext
}

// Result is the outcome of a check.
type Result struct {
	Path     string
	Target   string // the analysed stage (name or index)
	Findings []Finding
	// File is the parsed Dockerfile; nil when it did not parse.
	File *dockerfile.File

	src      []byte
	opt      Options
	proposal *Proposal // the conversion the rules asked for, if any
}

// Conversion returns the conversion of the checked file with Check's
// options: the one Check's rules already asked the converter for (they
// compare the file with it), or a new one. Callers that show findings and
// the proposal side by side use it so that both come from one conversion.
func (r *Result) Conversion() (*Proposal, error) {
	if r.proposal != nil {
		return r.proposal, nil
	}
	opt := convertOptionsOf(r.opt)
	if r.File == nil {
		return Convert(r.src, opt) // declines: the file does not parse
	}
	return ConvertFile(r.File, opt)
}

// ErrTooLarge is returned for inputs over the size limit.
var ErrTooLarge = dockerfile.ErrTooLarge

// TargetError reports a --target that names no stage.
type TargetError struct{ Err error }

func (e *TargetError) Error() string { return e.Err.Error() }
func (e *TargetError) Unwrap() error { return e.Err }

// Check analyses one Dockerfile. It returns an error only for inputs it
// refuses (too large) or an unknown target; a Dockerfile that does not
// parse yields a SyntaxError finding.
func Check(ctx context.Context, src []byte, opt Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Path: opt.Path, src: src, opt: opt}
	f, err := dockerfile.Parse(opt.Path, src, dockerfile.Options{MaxSize: opt.MaxSize, BuildArgs: opt.BuildArgs})
	if err != nil {
		var se *dockerfile.SyntaxError
		if errors.As(err, &se) {
			res.Findings = []Finding{syntaxFinding(opt.Path, se)}
			return res, nil
		}
		return nil, fmt.Errorf("%s: %w", displayPath(opt.Path), err)
	}
	res.File = f
	targetName := opt.Target
	if targetName == "" {
		targetName = opt.Config.Target(opt.Path)
	}
	target, err := f.Target(targetName)
	if err != nil {
		return nil, &TargetError{Err: fmt.Errorf("%s: %w", displayPath(opt.Path), err)}
	}
	res.Target = target.Ref()
	res.Findings = run(f, target, opt, &res.proposal)
	return res, nil
}

func displayPath(p string) string {
	if p == "" {
		return "Dockerfile"
	}
	return p
}

func syntaxFinding(path string, se *dockerfile.SyntaxError) Finding {
	r := rules.SyntaxError
	return Finding{
		Rule: r.Name, Severity: r.Severity, Category: r.Category, URL: r.URL, Path: path,
		StartLine: se.Line, EndLine: se.EndLine,
		Message: "BuildKit cannot parse this Dockerfile: " + se.Message,
	}
}

// Run runs the rules over a parsed file for a target stage and returns the
// findings after configuration, suppressions and de-duplication, sorted by
// line.
func Run(f *dockerfile.File, target *dockerfile.Stage, opt Options) []Finding {
	return run(f, target, opt, nil)
}

// run is Run; when keep is not nil it receives the conversion the rules
// asked the converter for.
func run(f *dockerfile.File, target *dockerfile.Stage, opt Options, keep **Proposal) []Finding {
	ruleSet := opt.Rules
	if ruleSet == nil {
		ruleSet = rules.All()
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	var raw []*analysis.Finding
	newPass := analysis.NewPass(f, target, analysis.Options{
		Debian:    opt.Config.DebianRelease(),
		NonRoot:   opt.Config.NonRoot(),
		Now:       now,
		Outlook:   outlook(f, opt, keep),
		PinDigest: opt.Config != nil && opt.Config.Images.PinDigest,
	}, &raw)
	byName := map[string]*analysis.Rule{}
	for _, r := range ruleSet {
		byName[r.Name] = r
		if opt.Config.RuleDisabled(r.Name) {
			continue
		}
		runRule(newPass(r))
	}
	sup := parseSuppressions(f)
	superseded := map[string]map[int]bool{} // BuildKit rule → lines covered by ours
	for _, fd := range raw {
		if r := byName[fd.Rule]; r != nil {
			for _, s := range r.Supersedes {
				if superseded[s] == nil {
					superseded[s] = map[int]bool{}
				}
				superseded[s][fd.StartLine] = true
			}
		}
	}
	var out []Finding
	seen := map[string]bool{}
	for _, fd := range raw {
		if superseded[fd.Rule][fd.StartLine] {
			continue
		}
		if sup.suppressed(byName[fd.Rule], fd.StartLine) {
			continue
		}
		if s, ok := opt.Config.SeverityOverride(fd.Rule); ok {
			fd.Severity = s
		}
		key := fmt.Sprintf("%s\x00%d\x00%d\x00%s", fd.Rule, fd.StartLine, fd.EndLine, fd.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, *fd)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].StartLine != out[j].StartLine {
			return out[i].StartLine < out[j].StartLine
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// runRule runs one rule; a panicking rule loses its own findings but never
// takes the check (or a worker) down.
func runRule(p *analysis.Pass) {
	defer func() {
		if r := recover(); r != nil {
			p.Reportf(analysis.Line(1), "internal error in rule %s: %v (please report this)", p.Rule().Name, r)
		}
	}()
	p.Rule().Run(p)
}

// Rules returns the registry.
func Rules() []*analysis.Rule { return rules.All() }

// LookupRule returns a rule by name (case-insensitive), or nil.
func LookupRule(name string) *analysis.Rule { return rules.Lookup(name) }

// AtLeast reports whether any finding is at or above a severity threshold
// given as a config/CLI string ("none" never fails).
func AtLeast(findings []Finding, threshold string) (bool, error) {
	if threshold == "none" {
		return false, nil
	}
	sev, err := analysis.ParseSeverity(threshold)
	if err != nil {
		return false, err
	}
	for _, f := range findings {
		if f.Severity >= sev {
			return true, nil
		}
	}
	return false, nil
}
