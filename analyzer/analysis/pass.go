package analysis

import (
	"fmt"
	"strings"
	"time"

	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Options carry the settings that shape what a rule may suggest, so that
// `check` never proposes something `fix` would contradict.
type Options struct {
	// Debian is the Debian release of proposed distroless images (12 or 13).
	Debian int
	// NonRoot proposes :nonroot images.
	NonRoot bool
	// Now is the date support end dates are compared with.
	Now time.Time
	// PinDigest asks for digest-pinned base images (images.pin_digest).
	PinDigest bool
	// Outlook, when set, tells rules what `distill fix` would do with the
	// file, so that check never recommends what fix would refuse. The
	// engine sets it; rule tests may leave it nil.
	Outlook func() Outlook
}

// Outlook summarises what the converter would do with the file.
type Outlook struct {
	// Known is false when no converter ran (Outlook unset).
	Known bool
	// Convertible is true when fix produces a distroless proposal.
	Convertible bool
	// FinalImage is the proposed final image, e.g.
	// "gcr.io/distroless/static-debian13:nonroot".
	FinalImage string
	// Recipe names the recipe ("golang", "python", …).
	Recipe string
	// Reason explains a decline; Alternative suggests what to do instead.
	Reason      string
	Alternative string
}

// Outlook returns what `distill fix` would do with this file.
func (p *Pass) Outlook() Outlook {
	if p.Options.Outlook == nil {
		return Outlook{}
	}
	return p.Memo("outlook", func() any { return p.Options.Outlook() }).(Outlook)
}

// Pass is what a rule sees: the file, the stage graph and a report function.
type Pass struct {
	File *dockerfile.File
	// Target is the stage being built (default: the last one).
	Target *dockerfile.Stage
	// Chain holds the stages whose filesystem and configuration end up in
	// the image: Target and the stages it is built FROM. Rules about the
	// shipped image look only at these.
	Chain []*dockerfile.Stage
	// Builders are the other stages needed to build Target (reached via
	// COPY --from or RUN --mount). Stages not needed for Target are in
	// neither list: BuildKit skips them.
	Builders []*dockerfile.Stage
	Options  Options

	rule   *Rule
	out    *[]*Finding
	shared *shared
}

// shared holds per-file caches reused by every rule of one run.
type shared struct {
	scripts map[*dockerfile.Instruction]scriptResult
	values  map[string]any
}

type scriptResult struct {
	s   *shell.Script
	err error
}

// NewPass prepares passes over one file; the returned function creates the
// pass for a rule, all of them sharing caches and the findings slice.
func NewPass(f *dockerfile.File, target *dockerfile.Stage, opt Options, out *[]*Finding) func(*Rule) *Pass {
	chain := f.ImageChain(target)
	inChain := map[*dockerfile.Stage]bool{}
	for _, s := range chain {
		inChain[s] = true
	}
	var builders []*dockerfile.Stage
	for _, s := range f.Reachable(target) {
		if !inChain[s] {
			builders = append(builders, s)
		}
	}
	sh := &shared{scripts: map[*dockerfile.Instruction]scriptResult{}, values: map[string]any{}}
	return func(r *Rule) *Pass {
		return &Pass{File: f, Target: target, Chain: chain, Builders: builders, Options: opt, rule: r, out: out, shared: sh}
	}
}

// Rule returns the rule this pass runs.
func (p *Pass) Rule() *Rule { return p.rule }

// Reportf records a finding on span and returns it so a fix can be
// attached.
func (p *Pass) Reportf(span Span, format string, args ...any) *Finding {
	f := &Finding{
		Rule:      p.rule.Name,
		Severity:  p.rule.Severity,
		Category:  p.rule.Category,
		Message:   fmt.Sprintf(format, args...),
		Path:      p.File.Path,
		StartLine: span.StartLine,
		EndLine:   span.EndLine,
		URL:       p.rule.URL,
	}
	*p.out = append(*p.out, f)
	return f
}

// WithFix attaches a fix to a finding.
func (f *Finding) WithFix(message string, edits ...Edit) *Finding {
	if len(edits) > 0 {
		f.Fix = &Fix{Message: message, Edits: edits}
	}
	return f
}

// Script returns the parsed shell script of a shell-form RUN (cached). It
// returns nil for exec form and for heredocs in other languages.
func (p *Pass) Script(in *dockerfile.Instruction) (*shell.Script, error) {
	if in.Run == nil {
		return nil, nil
	}
	if r, ok := p.shared.scripts[in]; ok {
		return r.s, r.err
	}
	var r scriptResult
	if src, ok := in.Run.Script(); ok {
		r.s, r.err = shell.Parse(src)
	}
	p.shared.scripts[in] = r
	return r.s, r.err
}

// Commands returns the simple commands of every parsable shell-form RUN in
// the given stages, each with the RUN it came from.
func (p *Pass) Commands(stages ...*dockerfile.Stage) []RunCommand {
	var out []RunCommand
	for _, st := range stages {
		for _, in := range st.All(dockerfile.KindRun) {
			s, err := p.Script(in)
			if err != nil || s == nil {
				continue
			}
			for _, c := range s.Commands {
				out = append(out, RunCommand{Instruction: in, Command: c})
			}
		}
	}
	return out
}

// RunCommand is a shell command with the RUN instruction that runs it.
type RunCommand struct {
	Instruction *dockerfile.Instruction
	*shell.Command
}

// Memo returns a per-file cached value computed once for all rules.
func (p *Pass) Memo(key string, compute func() any) any {
	if v, ok := p.shared.values[key]; ok {
		return v
	}
	v := compute()
	p.shared.values[key] = v
	return v
}

// InChain reports whether a stage ends up in the image.
func (p *Pass) InChain(st *dockerfile.Stage) bool {
	for _, s := range p.Chain {
		if s == st {
			return true
		}
	}
	return false
}

// Reachable returns Builders and Chain together, in file order.
func (p *Pass) Reachable() []*dockerfile.Stage {
	return p.File.Reachable(p.Target)
}

// Final returns the instructions of a kind across the image chain, in order
// (later stages override earlier ones for CMD, ENTRYPOINT, USER, …).
func (p *Pass) Final(k dockerfile.Kind) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, st := range p.Chain {
		out = append(out, st.All(k)...)
	}
	return out
}

// LastFinal returns the instruction of a kind that is in effect in the
// image, or nil.
func (p *Pass) LastFinal(k dockerfile.Kind) *dockerfile.Instruction {
	all := p.Final(k)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// Env returns the ENV (and stage ARG) values set in stage st and its FROM
// ancestors before instruction upto (nil: the whole stage).
func Env(st *dockerfile.Stage, upto *dockerfile.Instruction) map[string]string {
	env := map[string]string{}
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := st; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	for _, s := range chain {
		for _, in := range s.Instructions {
			if upto != nil && in == upto {
				return env
			}
			switch {
			case in.Kind == dockerfile.KindEnv && in.KeyValues != nil:
				for _, kv := range in.KeyValues.Pairs {
					env[kv.Key] = kv.Value
				}
			case in.Kind == dockerfile.KindArg && in.Arg != nil:
				for _, d := range in.Arg.Defs {
					if d.Default != nil {
						if _, set := env[d.Name]; !set {
							env[d.Name] = *d.Default
						}
					}
				}
			}
		}
	}
	return env
}

// IsIgnoreComment reports whether a comment line is test or tool markup
// that rules must not read as content (# want, # distill, # hadolint).
func IsIgnoreComment(c string) bool {
	c = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c), "#"))
	for _, p := range []string{"want ", "distill ", "hadolint "} {
		if strings.HasPrefix(c, p) {
			return true
		}
	}
	return false
}
