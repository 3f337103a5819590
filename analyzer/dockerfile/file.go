package dockerfile

import (
	"fmt"
	"strconv"
	"strings"
)

// File is a parsed Dockerfile.
type File struct {
	Path  string   // path used in messages; may be empty
	Src   []byte   // the bytes given to Parse
	Lines []string // source lines without line terminators; Lines[0] is line 1
	CRLF  bool     // the file uses \r\n line endings

	Directives []Directive
	Escape     rune // escape token: '\\' or '`'

	// MetaArgs are the ARG instructions before the first FROM (global ARGs).
	MetaArgs []*Instruction
	Stages   []*Stage
	// Instructions holds every instruction in source order, FROM and global
	// ARGs included.
	Instructions []*Instruction
	// Warnings are BuildKit parser warnings such as empty continuation lines.
	Warnings []Warning
}

// Directive is a parser directive at the top of the file: # syntax=…,
// # escape=…, # check=….
type Directive struct {
	Name  string
	Value string
	Line  int
}

// Warning is a parser warning from BuildKit.
type Warning struct {
	Message string
	URL     string
	Line    int
}

// Kind is an instruction keyword in upper case.
type Kind string

// Instruction kinds.
const (
	KindFrom        Kind = "FROM"
	KindRun         Kind = "RUN"
	KindCmd         Kind = "CMD"
	KindEntrypoint  Kind = "ENTRYPOINT"
	KindCopy        Kind = "COPY"
	KindAdd         Kind = "ADD"
	KindEnv         Kind = "ENV"
	KindArg         Kind = "ARG"
	KindLabel       Kind = "LABEL"
	KindExpose      Kind = "EXPOSE"
	KindUser        Kind = "USER"
	KindWorkdir     Kind = "WORKDIR"
	KindVolume      Kind = "VOLUME"
	KindStopSignal  Kind = "STOPSIGNAL"
	KindHealthcheck Kind = "HEALTHCHECK"
	KindShell       Kind = "SHELL"
	KindOnbuild     Kind = "ONBUILD"
	KindMaintainer  Kind = "MAINTAINER"
)

// Instruction is one Dockerfile instruction.
type Instruction struct {
	Kind    Kind
	Keyword string // as written, e.g. "run" for a lower-case file
	// StartLine and EndLine are 1-based and inclusive; they cover
	// continuation lines, comment lines inside continuations and heredoc
	// bodies.
	StartLine int
	EndLine   int
	// Original is the exact source text of lines StartLine..EndLine joined
	// with "\n".
	Original string
	// Flags are the instruction flags as written, e.g. "--from=build".
	Flags []string
	// Comments are the comment lines BuildKit attached to the instruction
	// (without the leading '#').
	Comments []string
	Stage    *Stage // nil for global ARGs
	Index    int    // position in File.Instructions

	// Exactly one payload is set, according to Kind.
	From        *From
	Run         *Run
	Copy        *Copy        // COPY and ADD
	KeyValues   *KeyValues   // ENV and LABEL
	Arg         *Arg         // ARG
	Exec        *Exec        // CMD, ENTRYPOINT, SHELL
	Healthcheck *Healthcheck // HEALTHCHECK
	Words       []string     // EXPOSE ports, VOLUME paths
	Value       string       // USER, WORKDIR, STOPSIGNAL, MAINTAINER, ONBUILD expression
	Onbuild     *Instruction // the wrapped instruction of ONBUILD, when it parses
}

// Lines returns the instruction's source lines.
func (in *Instruction) Lines() []string {
	return strings.Split(in.Original, "\n")
}

// String renders the instruction position for messages: "RUN (line 12)".
func (in *Instruction) String() string {
	return fmt.Sprintf("%s (line %d)", in.Kind, in.StartLine)
}

// Flag returns the value of an instruction flag such as --from, and whether
// it was given. A flag given without a value ("--link") returns "true".
func (in *Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		f = strings.TrimPrefix(f, "--")
		k, v, hasValue := strings.Cut(f, "=")
		if strings.EqualFold(k, name) {
			if !hasValue {
				return "true", true
			}
			return v, true
		}
	}
	return "", false
}

// From is the payload of a FROM instruction.
type From struct {
	Image    string // as written, before ARG expansion
	Name     string // stage name as written, "" when absent
	Platform string // --platform as written
}

// Run is the payload of a RUN instruction.
type Run struct {
	Exec
	Mounts  []Mount
	Network string // --network value
}

// Mount is a RUN --mount.
type Mount struct {
	Type   string // bind, cache, tmpfs, secret, ssh
	From   string
	Source string
	Target string
}

// Exec is a command line in shell form or exec (JSON) form, used by RUN,
// CMD, ENTRYPOINT and SHELL.
type Exec struct {
	// Shell reports shell form: the line is run by the stage's SHELL
	// (["/bin/sh", "-c"] unless changed).
	Shell bool
	// Args holds the exec-form arguments, or a single element with the
	// shell-form command line.
	Args     []string
	Heredocs []Heredoc
}

// Heredoc is a here-document attached to RUN, COPY or ADD.
type Heredoc struct {
	Name    string // the delimiter word (also the file name for COPY)
	Content string
	Chomp   bool // <<- strips leading tabs
	Expand  bool // unquoted delimiter: variables are expanded
}

// CommandLine returns the shell-form command line, or the exec form joined
// with spaces.
func (e *Exec) CommandLine() string {
	return strings.Join(e.Args, " ")
}

// Script returns the shell script a shell-form RUN executes: the command
// line, or the heredoc body when the command line is only a heredoc marker
// (RUN <<EOF … EOF). A command line that uses heredocs in other ways
// (RUN cat <<EOF > /etc/conf && …) is rebuilt the way BuildKit hands it to
// the shell: the line, then each body followed by its delimiter. The second
// result is false when the script is not a shell script (exec form, or a
// heredoc with a non-shell shebang).
func (e *Exec) Script() (string, bool) {
	if !e.Shell {
		return "", false
	}
	line := strings.TrimSpace(e.CommandLine())
	if len(e.Heredocs) == 1 && isHeredocMarker(line, e.Heredocs[0].Name) {
		body := e.Heredocs[0].Content
		if strings.HasPrefix(body, "#!") {
			first, _, _ := strings.Cut(body, "\n")
			if !isShellShebang(first) {
				return body, false
			}
		}
		return body, true
	}
	if len(e.Heredocs) > 0 {
		var b strings.Builder
		b.WriteString(line)
		for _, h := range e.Heredocs {
			b.WriteByte('\n')
			b.WriteString(h.Content)
			b.WriteString(h.Name)
		}
		return b.String(), true
	}
	return line, true
}

func isHeredocMarker(line, name string) bool {
	line = strings.TrimPrefix(line, "<<")
	line = strings.TrimPrefix(line, "-")
	line = strings.Trim(line, `"'`)
	return line == name
}

func isShellShebang(line string) bool {
	line = strings.TrimSpace(strings.TrimPrefix(line, "#!"))
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return true
	}
	interp := fields[0]
	if strings.HasSuffix(interp, "/env") && len(fields) > 1 {
		interp = fields[1]
	}
	base := interp[strings.LastIndex(interp, "/")+1:]
	switch base {
	case "sh", "bash", "dash", "ash", "ksh", "zsh":
		return true
	}
	return false
}

// Copy is the payload of COPY and ADD.
type Copy struct {
	Sources  []string
	Dest     string
	From     string // --from
	Chown    string
	Chmod    string
	Link     bool
	Heredocs []Heredoc
}

// KeyValue is one pair of ENV or LABEL.
type KeyValue struct {
	Key   string
	Value string
	// Legacy is true for the deprecated space-separated form "ENV k v".
	Legacy bool
}

// KeyValues is the payload of ENV and LABEL.
type KeyValues struct {
	Pairs []KeyValue
}

// ArgDef is one name of an ARG instruction.
type ArgDef struct {
	Name    string
	Default *string
}

// Arg is the payload of ARG.
type Arg struct {
	Defs []ArgDef
}

// Healthcheck is the payload of HEALTHCHECK.
type Healthcheck struct {
	None bool // HEALTHCHECK NONE
	// Test is Docker's test: ["CMD", args…] for exec form or
	// ["CMD-SHELL", line] for shell form.
	Test []string
}

// Shell reports whether the health check runs through a shell (CMD-SHELL).
func (h *Healthcheck) Shell() bool {
	return h != nil && len(h.Test) > 0 && h.Test[0] == "CMD-SHELL"
}

// Stage is one FROM block.
type Stage struct {
	Index int
	// Name is the lower-cased stage name ("" when unnamed); stage names are
	// case-insensitive.
	Name string
	From *Instruction
	// Base is the base image after expanding global ARGs with their
	// defaults (or the build args given to Parse).
	Base ImageRef
	// BaseStage is set when FROM names an earlier stage.
	BaseStage *Stage
	Platform  string
	// Instructions after FROM, in order.
	Instructions []*Instruction
	// DependsOn lists the stages this stage reads from: its base stage,
	// COPY --from=<stage> and RUN --mount=from=<stage>. Deduplicated, in
	// order of first use.
	DependsOn []*Stage
	// ExternalCopies are images named in COPY --from or RUN --mount=from
	// that are not stages.
	ExternalCopies []ImageRef
}

// Ref returns the name users refer to the stage by: its name, or its index.
func (s *Stage) Ref() string {
	if s.Name != "" {
		return s.Name
	}
	return strconv.Itoa(s.Index)
}

// Describe renders the stage for messages: `stage "build"` or `stage 0`.
func (s *Stage) Describe() string {
	if s.Name != "" {
		return fmt.Sprintf("stage %q", s.Name)
	}
	return fmt.Sprintf("stage %d", s.Index)
}

// Last returns the last instruction of kind k in the stage, or nil.
func (s *Stage) Last(k Kind) *Instruction {
	for i := len(s.Instructions) - 1; i >= 0; i-- {
		if s.Instructions[i].Kind == k {
			return s.Instructions[i]
		}
	}
	return nil
}

// All returns the instructions of the given kinds, in order.
func (s *Stage) All(kinds ...Kind) []*Instruction {
	var out []*Instruction
	for _, in := range s.Instructions {
		for _, k := range kinds {
			if in.Kind == k {
				out = append(out, in)
				break
			}
		}
	}
	return out
}

// EndLine is the last line of the stage's last instruction (or its FROM).
func (s *Stage) EndLine() int {
	if n := len(s.Instructions); n > 0 {
		return s.Instructions[n-1].EndLine
	}
	return s.From.EndLine
}

// Line returns source line n (1-based), or "" when out of range.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.Lines) {
		return ""
	}
	return f.Lines[n-1]
}

// Directive returns the value of a parser directive and whether it is set.
func (f *File) Directive(name string) (string, bool) {
	for _, d := range f.Directives {
		if strings.EqualFold(d.Name, name) {
			return d.Value, true
		}
	}
	return "", false
}
