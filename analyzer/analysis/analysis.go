// Package analysis is the API for writing distill rules: a rule is a value
// (name, summary, documentation, default severity, run function) and reports
// findings through a Pass.
//
// The shape follows golang.org/x/tools/go/analysis: the unit of extension
// is a value, rules report through the pass, fixes are text edits, and a
// registry test validates every rule. Unlike go/analysis, a finding's span
// and its fix are line-based, because review suggestions on GitHub replace
// whole lines.
package analysis

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Severity orders findings; the zero value is invalid.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses "error", "warning" or "info" (case-insensitive).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Category groups rules in the catalog.
type Category string

// Categories.
const (
	// Distroless rules are about what stands between a file and a small
	// multi-stage distroless image; `distill fix` resolves them.
	Distroless Category = "distroless"
	// Hygiene rules are general Dockerfile good practice.
	Hygiene Category = "hygiene"
	// BuildKit rules are BuildKit's own checks, reported under their own
	// names and URLs.
	BuildKit Category = "buildkit"
	// Syntax is the rule for files BuildKit cannot parse.
	Syntax Category = "syntax"
)

// Rule is one check.
type Rule struct {
	// Name is a self-describing PascalCase identifier.
	Name string
	// Summary is one line for listings.
	Summary string
	// Doc is the markdown documentation with a bad and a good example.
	Doc string
	// URL points at the rule's documentation.
	URL string
	// Severity is the default severity; configuration may change it.
	Severity Severity
	Category Category
	// Hadolint lists hadolint rule ids with the same meaning, so
	// `# hadolint ignore=DL3008` suppresses this rule too.
	Hadolint []string
	// Supersedes names BuildKit rules this rule makes redundant: when both
	// report on the same line, only this rule's finding is kept, so a
	// problem is never reported twice.
	Supersedes []string
	// Run inspects the file and reports through the pass.
	Run func(*Pass)
}

var ruleName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)

// Validate checks a rule's metadata, like go/analysis.Validate.
func (r *Rule) Validate() error {
	switch {
	case !ruleName.MatchString(r.Name):
		return fmt.Errorf("rule name %q is not PascalCase", r.Name)
	case strings.TrimSpace(r.Summary) == "":
		return fmt.Errorf("rule %s: empty summary", r.Name)
	case r.Doc == "":
		return fmt.Errorf("rule %s: empty doc", r.Name)
	case r.URL == "":
		return fmt.Errorf("rule %s: empty URL", r.Name)
	case r.Severity < Info || r.Severity > Error:
		return fmt.Errorf("rule %s: invalid severity", r.Name)
	case r.Run == nil:
		return fmt.Errorf("rule %s: nil Run", r.Name)
	case r.Category == "":
		return fmt.Errorf("rule %s: no category", r.Name)
	}
	return nil
}

// Edit replaces source lines StartLine..EndLine (1-based, inclusive) with
// Text. Text holds whole lines separated by "\n" without a trailing
// newline; "" with Delete set removes the lines. An edit with EndLine ==
// StartLine-1 inserts Text before StartLine.
type Edit struct {
	StartLine int
	EndLine   int
	Text      string
	Delete    bool
}

// Fix is a suggested change: a verb phrase and its edits.
type Fix struct {
	Message string
	Edits   []Edit
}

// Finding is one reported problem.
type Finding struct {
	Rule     string
	Severity Severity
	Category Category
	Message  string
	Path     string
	// StartLine and EndLine are 1-based and inclusive.
	StartLine int
	EndLine   int
	URL       string
	Fix       *Fix `json:",omitempty"`
}

// Span is a line range to report on.
type Span struct{ StartLine, EndLine int }

// SpanOf returns the span of an instruction.
func SpanOf(in *dockerfile.Instruction) Span {
	return Span{in.StartLine, in.EndLine}
}

// Line returns a one-line span.
func Line(n int) Span { return Span{n, n} }

// WithSeverity changes a finding's severity from the rule default, for
// rules whose consequences depend on the image (a shell-form CMD is fatal
// on distroless, a warning elsewhere). Configuration still overrides it.
func (f *Finding) WithSeverity(s Severity) *Finding {
	f.Severity = s
	return f
}
