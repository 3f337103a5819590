// Package convert turns a Dockerfile into a multi-stage build whose shipped
// stage is a Google distroless image, or declines with a specific reason
// and an alternative. The recipes (one package per ecosystem, listed in
// analyzer/convert/recipes) share this framework:
//
//   - Input: the parsed file, its target stage, the stages that end up in
//     the image and the build stages, options, and optional repository
//     context (go.mod, package.json, …).
//   - Editor: line edits against the original text, so that the user's own
//     RUN steps, COPY lines, ARGs, comments and ordering stay as written.
//   - Runtime and FinalStage: what the shipped image needs carried over
//     (ENV, EXPOSE, WORKDIR, LABEL, VOLUME, STOPSIGNAL, USER, HEALTHCHECK,
//     CMD/ENTRYPOINT) and the rendering of the new distroless stage.
//
// A proposal must build and run; when a recipe cannot be sure, it declines.
// Every proposal passes a self-check (the rulebook's lint of the emitted
// final stage) before it is returned.
package convert

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Options shape a conversion.
type Options struct {
	// Target is the shipped stage; "" means the last stage.
	Target string
	// Debian is the release of the distroless image: 13 (default) or 12.
	Debian int
	// NonRoot selects :nonroot images (uid 65532).
	NonRoot bool
	// AllowVersionChange lets recipes move Python/Node to the version
	// distroless ships, flagged as a behaviour change.
	AllowVersionChange bool
	// BuildArgs override ARG defaults in FROM lines.
	BuildArgs map[string]string
	// Context holds repository files next to the Dockerfile; may be nil.
	Context *RepoContext
	// Now is the date used for support windows; zero means time.Now().
	Now time.Time
}

// DefaultOptions are the defaults of the CLI and the App.
func DefaultOptions() Options {
	return Options{Debian: 13, NonRoot: true, AllowVersionChange: true}
}

// Status says what happened to a file.
type Status string

// Statuses.
const (
	Converted Status = "converted"
	Unchanged Status = "unchanged"
	Declined  Status = "declined"
)

// NoteKind classifies reviewer notes.
type NoteKind string

// Note kinds: a change made and why, a behaviour change the team must know
// about, and a risk to check.
const (
	Change   NoteKind = "change"
	Behavior NoteKind = "behavior"
	Risk     NoteKind = "risk"
)

// Note is one line for reviewers.
type Note struct {
	Kind NoteKind `json:"kind"`
	Text string   `json:"text"`
}

// NoteGroup is the notes of one kind under the heading reviewers see.
type NoteGroup struct {
	Title string
	Items []string
}

// GroupNotes orders notes for reviewers: changes, then behaviour changes,
// then risks to check; empty groups are left out.
func GroupNotes(notes []Note) []NoteGroup {
	groups := []NoteGroup{{Title: "Changes"}, {Title: "Behaviour changes"}, {Title: "Risks to check"}}
	for _, n := range notes {
		i := 0
		switch n.Kind {
		case Behavior:
			i = 1
		case Risk:
			i = 2
		}
		groups[i].Items = append(groups[i].Items, n.Text)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// Decline explains why no safe conversion exists and what to do instead.
type Decline struct {
	Reason       string   `json:"reason"`
	Alternatives []string `json:"alternatives,omitempty"`
}

// Proposal is the outcome of a conversion.
type Proposal struct {
	Path   string `json:"path"`
	Target string `json:"target,omitempty"`
	Status Status `json:"status"`
	Recipe string `json:"recipe,omitempty"`
	// Dockerfile is the converted text (Converted) or the original.
	Dockerfile []byte `json:"-"`
	// Edits are the minimal line edits from the original to Dockerfile.
	Edits      []analysis.Edit `json:"edits,omitempty"`
	FinalImage string          `json:"final_image,omitempty"`
	Notes      []Note          `json:"notes,omitempty"`
	Decline    *Decline        `json:"decline,omitempty"`
	// Packages are the language packages the build installs (Python
	// distributions, PEP 503 names); verification checks that each one
	// the original image has reaches the converted image.
	Packages []string `json:"packages,omitempty"`
}

// Recipe converts one ecosystem.
type Recipe struct {
	Name string
	// Detect reports whether the recipe applies to the input.
	Detect func(*Input) bool
	// Convert produces the new Dockerfile or a decline.
	Convert func(*Input) (*Result, error)
	// ContextFiles are glob patterns (relative to the build context) of
	// repository files the recipe reads when they exist: go.mod,
	// package.json, pom.xml, … The CLI reads them from disk, the App from
	// GitHub.
	ContextFiles []string
}

// Result is what a recipe returns.
type Result struct {
	// Dockerfile is the new text with "\n" line endings.
	Dockerfile string
	FinalImage string
	Notes      []Note
	// Decline is set instead of Dockerfile when no safe conversion exists.
	Decline *Decline
	// Packages are the language packages the build installs, by
	// normalised name (Python distributions), for verification.
	Packages []string
}

// Declinef builds a declining result.
func Declinef(alternatives []string, format string, args ...any) *Result {
	return &Result{Decline: &Decline{Reason: fmt.Sprintf(format, args...), Alternatives: alternatives}}
}

// ErrTooLarge is returned for inputs over the size limit.
var ErrTooLarge = dockerfile.ErrTooLarge

// Run converts one Dockerfile with the first recipe whose Detect matches.
// It returns an error only for inputs it refuses (too large, unknown
// target); everything else is a proposal, possibly declined.
func Run(path string, src []byte, recipes []*Recipe, opt Options) (*Proposal, error) {
	f, err := dockerfile.Parse(path, src, dockerfile.Options{BuildArgs: opt.BuildArgs})
	if err != nil {
		var se *dockerfile.SyntaxError
		if errors.As(err, &se) {
			return &Proposal{Path: path, Dockerfile: src, Status: Declined,
				Decline: &Decline{Reason: fmt.Sprintf("the Dockerfile does not parse (line %d: %s); fix it first", se.Line, se.Message)}}, nil
		}
		return nil, err
	}
	return RunFile(f, recipes, opt)
}

// RunFile is Run on a file already parsed (with opt.BuildArgs), so that
// `check`, which asks the converter for its outlook on every file, does not
// parse each file twice. Recipes only read f.
func RunFile(f *dockerfile.File, recipes []*Recipe, opt Options) (*Proposal, error) {
	if opt.Debian == 0 {
		opt.Debian = 13
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	path, src := f.Path, f.Src
	p := &Proposal{Path: path, Dockerfile: src}
	target, err := f.Target(opt.Target)
	if err != nil {
		return nil, err
	}
	p.Target = target.Ref()
	in := newInput(path, f, target, opt)

	if d := commonDecline(in); d != nil {
		p.Status, p.Decline = Declined, d
		return p, nil
	}
	var recipe *Recipe
	for _, r := range recipes {
		if r.Detect(in) {
			recipe = r
			break
		}
	}
	if recipe == nil {
		p.Status = Declined
		p.Decline = &Decline{
			Reason:       "distill could not tell what this image runs: no Go, Python, Node.js, Java, Rust, .NET or C/C++ build or runtime was recognised in the Dockerfile",
			Alternatives: []string{"add a build stage that makes the artifact explicit (e.g. `go build -o /out/app`) and run `distill fix` again"},
		}
		return p, nil
	}
	p.Recipe = recipe.Name
	res, err := recipe.Convert(in)
	if err != nil {
		return nil, fmt.Errorf("%s: recipe %s: %w", path, recipe.Name, err)
	}
	if res.Decline != nil {
		p.Status, p.Decline, p.Notes = Declined, res.Decline, res.Notes
		return p, nil
	}
	out := normalizeNewlines(res.Dockerfile, f.CRLF)
	p.FinalImage, p.Notes, p.Packages = res.FinalImage, res.Notes, res.Packages
	if out == string(src) || out == string(src)+lineEnding(f.CRLF) {
		p.Status = Unchanged
		return p, nil
	}
	if err := SelfCheckTarget(out, opt.Target); err != nil {
		// A proposal that fails our own lint would be the worst thing to
		// ship: decline instead, loudly.
		p.Status = Declined
		p.Decline = &Decline{Reason: fmt.Sprintf("distill produced a conversion that failed its own safety check (%v); please report this Dockerfile", err)}
		p.Notes = nil
		return p, nil
	}
	p.Status = Converted
	p.Dockerfile = []byte(out)
	p.Edits = LineEdits(string(src), out)
	return p, nil
}

func lineEnding(crlf bool) string {
	if crlf {
		return "\r\n"
	}
	return "\n"
}

// normalizeNewlines ends the text with a newline and restores CRLF line
// endings when the original used them.
func normalizeNewlines(s string, crlf bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if crlf {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	return s
}

// commonDecline applies the declines every recipe shares.
func commonDecline(in *Input) *Decline {
	root := in.Target.RootBase()
	if root.Unresolved {
		return &Decline{
			Reason:       fmt.Sprintf("the shipped stage's base image %q depends on a build argument without a default, so distill cannot know what it contains", in.Target.RootFrom().From.From.Image),
			Alternatives: []string{"give the ARG a default value", "run `distill fix --build-arg NAME=value`"},
		}
	}
	if root.Invalid {
		return &Decline{Reason: fmt.Sprintf("the base image reference %q is not valid", root.Raw)}
	}
	return nil
}

// Catalog is the shared catalog.
var Catalog = catalog.Default()
