package convert

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// FinalStage is the distroless stage a recipe appends (or puts in place of
// the original shipped stage).
type FinalStage struct {
	// Comments are emitted above FROM, one "# " line each.
	Comments []string
	From     string
	Name     string
	// Args are the ARG declarations ("NAME" or "NAME=default") to emit
	// (ARGs end with their stage); Plan.Finish fills them in from the
	// variables the stage's instructions use.
	Args       []string
	Workdir    string
	Env        []dockerfile.KeyValue
	Labels     []string // LABEL instructions as written
	Copies     []string // COPY instructions, complete
	Expose     []string
	Volumes    []string
	StopSignal string
	User       string
	// Healthcheck is a complete HEALTHCHECK instruction, or "".
	Healthcheck string
	// Entrypoint and Cmd are exec-form arguments; nil leaves them unset.
	// An empty, non-nil Entrypoint emits `ENTRYPOINT []` to clear the
	// image's own.
	Entrypoint []string
	Cmd        []string
	// Lower emits lower-case keywords, matching files written that way.
	Lower bool
}

// Render returns the stage text (no trailing newline).
func (fs *FinalStage) Render() string {
	var lines []string
	kw := func(k string) string {
		if fs.Lower {
			return strings.ToLower(k)
		}
		return k
	}
	for _, c := range fs.Comments {
		lines = append(lines, "# "+c)
	}
	from := kw("FROM") + " " + fs.From
	if fs.Name != "" {
		from += " " + kw("AS") + " " + fs.Name
	}
	lines = append(lines, from)
	for _, a := range fs.Args {
		lines = append(lines, kw("ARG")+" "+a)
	}
	if fs.Workdir != "" {
		lines = append(lines, kw("WORKDIR")+" "+fs.Workdir)
	}
	for _, kv := range fs.Env {
		lines = append(lines, kw("ENV")+" "+kv.Key+"="+QuoteEnv(kv.Value))
	}
	lines = append(lines, fs.Labels...)
	lines = append(lines, fs.Copies...)
	if len(fs.Expose) > 0 {
		lines = append(lines, kw("EXPOSE")+" "+strings.Join(fs.Expose, " "))
	}
	if len(fs.Volumes) > 0 {
		lines = append(lines, kw("VOLUME")+" "+ExecForm(fs.Volumes))
	}
	if fs.StopSignal != "" {
		lines = append(lines, kw("STOPSIGNAL")+" "+fs.StopSignal)
	}
	if fs.User != "" {
		lines = append(lines, kw("USER")+" "+fs.User)
	}
	if fs.Healthcheck != "" {
		lines = append(lines, fs.Healthcheck)
	}
	if fs.Entrypoint != nil {
		lines = append(lines, kw("ENTRYPOINT")+" "+ExecForm(fs.Entrypoint))
	}
	if fs.Cmd != nil {
		lines = append(lines, kw("CMD")+" "+ExecForm(fs.Cmd))
	}
	return strings.Join(lines, "\n")
}

// ExecForm renders a JSON array with double quotes, as Dockerfile exec form
// requires, without HTML escaping.
func ExecForm(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		b, _ := json.Marshal(a)
		parts[i] = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

var plainEnv = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,=$-]*$`)

// QuoteEnv quotes an ENV value when it needs quoting. Values read from an
// ENV instruction keep their quotes as written ("a b", 'x'); such an
// already-quoted word is emitted unchanged, so it means the same thing.
func QuoteEnv(v string) string {
	if plainEnv.MatchString(v) && v != "" {
		return v
	}
	if quotedWord(v) {
		return v
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// quotedWord reports whether v is exactly one single- or double-quoted
// word with no unescaped quote of the same kind inside.
func quotedWord(v string) bool {
	if len(v) < 2 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
		return false
	}
	inner := v[1 : len(v)-1]
	if v[0] == '\'' {
		return !strings.Contains(inner, "'")
	}
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '\\':
			i++
		case '"':
			return false
		}
	}
	return !strings.HasSuffix(inner, `\`) || strings.HasSuffix(inner, `\\`)
}

// EnvLiteral returns the text an ENV value stands for: the value without
// its surrounding quotes (and without the escapes inside double quotes).
// Variables are not expanded.
func EnvLiteral(raw string) string {
	if !quotedWord(raw) {
		return raw
	}
	inner := raw[1 : len(raw)-1]
	if raw[0] == '\'' {
		return inner
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\\' && i+1 < len(inner) {
			i++
		}
		b.WriteByte(inner[i])
	}
	return b.String()
}

// Lowercase reports whether the file writes its keywords in lower case.
func Lowercase(f *dockerfile.File) bool {
	lower, upper := 0, 0
	for _, in := range f.Instructions {
		switch in.Keyword {
		case strings.ToLower(in.Keyword):
			lower++
		case strings.ToUpper(in.Keyword):
			upper++
		}
	}
	return lower > upper
}

// Keyword renders an instruction keyword in the file's casing.
func Keyword(f *dockerfile.File, k string) string {
	if Lowercase(f) {
		return strings.ToLower(k)
	}
	return strings.ToUpper(k)
}

var argRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// argDeclarations returns the ARG lines' words ("NAME" or "NAME=default")
// the final stage needs for the variables text refers to: an ARG is scoped
// to its stage, so one the original declared with a default in the stage
// that declares it must be declared again with that default, and a global
// one again by name (which inherits the global default).
func (in *Input) argDeclarations(text string) []string {
	// Later declarations win; the shipped stage's own come last, so they
	// win over a builder's.
	declared := map[string]*argDecl{}
	for _, m := range in.File.MetaArgs {
		for _, d := range m.Arg.Defs {
			declared[d.Name] = &argDecl{Name: d.Name}
		}
	}
	stages := append([]*dockerfile.Stage(nil), in.Reachable()...)
	stages = append(stages, in.Target)
	for _, st := range stages {
		for _, a := range st.All(dockerfile.KindArg) {
			for _, d := range a.Arg.Defs {
				prev := declared[d.Name]
				switch {
				case d.Default != nil:
					declared[d.Name] = &argDecl{Name: d.Name, Default: d.Default}
				case prev == nil:
					declared[d.Name] = &argDecl{Name: d.Name}
				}
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, m := range argRef.FindAllStringSubmatch(text, -1) {
		d := declared[m[1]]
		if d == nil || seen[d.Name] {
			continue
		}
		seen[d.Name] = true
		if d.Default != nil {
			out = append(out, d.Name+"="+QuoteEnv(*d.Default))
		} else {
			out = append(out, d.Name)
		}
	}
	sort.Strings(out)
	return out
}

// argDecl is an ARG the final stage re-declares.
type argDecl struct {
	Name    string
	Default *string // nil: no default of its own (a global one is inherited)
}

// expandable is the text of the final stage's instructions in which
// Docker expands variables (exec-form commands are not expanded).
func (fs *FinalStage) expandable() string {
	parts := []string{fs.Workdir, fs.User, fs.StopSignal}
	for _, kv := range fs.Env {
		parts = append(parts, kv.Value)
	}
	parts = append(parts, fs.Labels...)
	parts = append(parts, fs.Copies...)
	parts = append(parts, fs.Expose...)
	parts = append(parts, fs.Volumes...)
	return strings.Join(parts, "\n")
}

// Program is the command an image runs, split into ENTRYPOINT and CMD as
// the original wrote it.
type Program struct {
	// Entrypoint and Cmd hold exec-form words; ShellForm reports that the
	// original used shell form (then all words are in Cmd or Entrypoint
	// as parsed from the shell line).
	Entrypoint []string
	Cmd        []string
	// FromEntrypoint is true when the program comes from ENTRYPOINT.
	FromEntrypoint bool
	ShellForm      bool
	// Substituted lists variables replaced by their ENV default values.
	Substituted []string
}

// Argv returns Entrypoint followed by Cmd.
func (p *Program) Argv() []string {
	return append(append([]string(nil), p.Entrypoint...), p.Cmd...)
}

var simpleVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// ResolveProgram works out what the original image runs. Shell-form lines
// are accepted when they are one simple command; `$VAR` references to ENV
// with a literal value are substituted (a behaviour change the recipe must
// note); anything needing a shell (&&, pipes, redirections, unknown
// variables, command substitution) returns a decline reason.
func (in *Input) ResolveProgram(rt *Runtime) (*Program, string) {
	p := &Program{}
	words := func(ins *dockerfile.Instruction) ([]string, string) {
		if ins == nil {
			return nil, ""
		}
		if !ins.Exec.Shell {
			return append([]string(nil), ins.Exec.Args...), ""
		}
		p.ShellForm = true
		line := strings.TrimSpace(ins.Exec.CommandLine())
		line = strings.TrimPrefix(line, "exec ")
		if ws, ok := simpleWords(line); ok {
			return ws, ""
		}
		// Substitute ENV values for simple $VAR references and retry.
		substituted := simpleVar.ReplaceAllStringFunc(line, func(m string) string {
			name := simpleVar.FindStringSubmatch(m)[1]
			if v, ok := rt.EnvValue(name); ok && !strings.Contains(v, "$") {
				p.Substituted = AppendUnique(p.Substituted, name)
				return v
			}
			return m
		})
		if ws, ok := simpleWords(substituted); ok {
			return ws, ""
		}
		return nil, fmt.Sprintf("its %s `%s` needs a shell (operators, redirections, command substitution or variables without a fixed value), and distroless images have none", ins.Kind, truncate(line, 80))
	}
	ep, why := words(rt.Entrypoint)
	if why != "" {
		return nil, why
	}
	cmd, why := words(rt.Cmd)
	if why != "" {
		return nil, why
	}
	// A shell-form ENTRYPOINT ignores CMD entirely.
	if rt.Entrypoint != nil && rt.Entrypoint.Exec.Shell {
		cmd = nil
	}
	p.Entrypoint, p.Cmd, p.FromEntrypoint = ep, cmd, len(ep) > 0
	if len(p.Argv()) == 0 {
		return nil, "it has no CMD or ENTRYPOINT, so distill cannot tell what the image runs"
	}
	return p, ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

func simpleWords(line string) ([]string, bool) { return shell.SimpleCommand(line) }
