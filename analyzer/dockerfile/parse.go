package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// DefaultMaxSize is the largest Dockerfile Parse accepts unless told
// otherwise. Real Dockerfiles are a few KiB; anything this large is almost
// certainly not a Dockerfile and would only cost memory.
const DefaultMaxSize = 1 << 20

// ErrTooLarge is returned for inputs over the size limit.
var ErrTooLarge = errors.New("dockerfile too large")

// SyntaxError is a Dockerfile BuildKit cannot parse. Line is 1-based.
type SyntaxError struct {
	Line    int
	EndLine int
	Message string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// Options tune Parse.
type Options struct {
	// MaxSize is the size limit in bytes; 0 means DefaultMaxSize.
	MaxSize int
	// BuildArgs override ARG defaults when expanding FROM lines, like
	// `docker build --build-arg`.
	BuildArgs map[string]string
}

// Parse parses a Dockerfile. path is used only in messages.
func Parse(path string, src []byte, opt Options) (f *File, err error) {
	limit := opt.MaxSize
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	if len(src) > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(src), limit)
	}
	// BuildKit's parser is robust, but a panic on hostile input must never
	// take down a worker: turn it into a syntax error.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &SyntaxError{Line: 1, EndLine: 1, Message: fmt.Sprintf("internal parser error: %v", r)}
		}
	}()

	f = &File{Path: path, Src: src, Escape: '\\'}
	f.Lines, f.CRLF = splitLines(src)

	res, perr := parser.Parse(bytes.NewReader(src))
	if perr != nil {
		return nil, syntaxError(perr, len(f.Lines))
	}
	f.Escape = res.EscapeToken
	for _, w := range res.Warnings {
		line := 0
		if w.Location != nil {
			line = w.Location.Start.Line
		}
		f.Warnings = append(f.Warnings, Warning{Message: w.Short, URL: w.URL, Line: line})
	}
	f.Directives = parseDirectives(src)

	b := &builder{file: f, args: newArgScope(opt.BuildArgs)}
	for _, node := range res.AST.Children {
		if err := b.add(node); err != nil {
			return nil, err
		}
	}
	if len(f.Stages) == 0 {
		return nil, &SyntaxError{Line: 1, EndLine: 1, Message: "no FROM instruction: a Dockerfile needs at least one build stage"}
	}
	b.link()
	return f, nil
}

// splitLines splits src into lines without terminators and reports whether
// the file uses CRLF line endings.
func splitLines(src []byte) ([]string, bool) {
	s := string(src)
	crlf := strings.Contains(s, "\r\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil, crlf
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines, crlf
}

func syntaxError(err error, nlines int) *SyntaxError {
	se := &SyntaxError{Line: 1, EndLine: 1, Message: err.Error()}
	var le *parser.LocationError
	if errors.As(err, &le) {
		se.Message = le.Unwrap().Error()
		for _, group := range le.Locations {
			for _, r := range group {
				if r.Start.Line > 0 {
					se.Line, se.EndLine = r.Start.Line, r.End.Line
					goto found
				}
			}
		}
	}
found:
	if se.Line < 1 {
		se.Line = 1
	}
	if nlines > 0 && se.Line > nlines {
		se.Line = nlines
	}
	if se.EndLine < se.Line {
		se.EndLine = se.Line
	}
	if nlines > 0 && se.EndLine > nlines {
		se.EndLine = nlines
	}
	return se
}

func parseDirectives(src []byte) []Directive {
	var p parser.DirectiveParser
	ds, _ := p.ParseAll(src)
	out := make([]Directive, 0, len(ds))
	for _, d := range ds {
		line := 1
		if len(d.Location) > 0 {
			line = d.Location[0].Start.Line
		}
		out = append(out, Directive{Name: d.Name, Value: d.Value, Line: line})
	}
	return out
}

// builder assembles the model from BuildKit nodes.
type builder struct {
	file  *File
	args  *argScope
	stage *Stage
}

func (b *builder) add(node *parser.Node) error {
	f := b.file
	in := &Instruction{
		Kind:      Kind(strings.ToUpper(node.Value)),
		StartLine: node.StartLine,
		EndLine:   node.EndLine,
		Flags:     append([]string(nil), node.Flags...),
		Comments:  append([]string(nil), node.PrevComment...),
		Index:     len(f.Instructions),
	}
	if in.StartLine < 1 {
		in.StartLine = 1
	}
	if in.EndLine < in.StartLine {
		in.EndLine = in.StartLine
	}
	if in.EndLine > len(f.Lines) {
		in.EndLine = len(f.Lines)
	}
	in.Original = strings.Join(f.Lines[in.StartLine-1:in.EndLine], "\n")
	in.Keyword = firstWord(f.Lines[in.StartLine-1])

	cmd, err := parseInstruction(node)
	if err != nil {
		var ue *instructions.UnknownInstructionError
		msg := err.Error()
		if errors.As(err, &ue) {
			msg = fmt.Sprintf("unknown instruction: %s", in.Keyword)
		} else {
			var le *parser.LocationError
			if errors.As(err, &le) {
				msg = le.Unwrap().Error()
			}
		}
		return &SyntaxError{Line: in.StartLine, EndLine: in.EndLine, Message: msg}
	}
	if err := fillPayload(in, node, cmd); err != nil {
		return &SyntaxError{Line: in.StartLine, EndLine: in.EndLine, Message: err.Error()}
	}

	switch {
	case in.Kind == KindFrom:
		st := &Stage{
			Index:    len(f.Stages),
			Name:     strings.ToLower(in.From.Name),
			From:     in,
			Platform: in.From.Platform,
		}
		st.Base = b.args.expandImage(in.From.Image, f.Escape)
		in.Stage = st
		f.Stages = append(f.Stages, st)
		b.stage = st
	case b.stage == nil:
		if in.Kind != KindArg {
			return &SyntaxError{Line: in.StartLine, EndLine: in.EndLine,
				Message: fmt.Sprintf("%s before the first FROM: only ARG may come before FROM", in.Kind)}
		}
		b.args.declareGlobal(in.Arg, f.Escape)
		f.MetaArgs = append(f.MetaArgs, in)
	default:
		in.Stage = b.stage
		b.stage.Instructions = append(b.stage.Instructions, in)
	}
	f.Instructions = append(f.Instructions, in)
	return nil
}

// parseInstruction is instructions.ParseInstruction without its crash:
// ParseInstruction passes a nil linter, and BuildKit dereferences it when
// the comment above the instruction is a `# check=` line (one that is not
// at the top of the file, so not a directive). An empty linter with no
// Warn function reports nothing and merges such comments safely.
func parseInstruction(node *parser.Node) (any, error) {
	return instructions.ParseInstructionWithLinter(node, quietLinter)
}

// quietLinter has no Warn function, so it never records anything and is
// safe to share: WithMergedConfig works on a copy.
var quietLinter = linter.New(&linter.Config{})

func firstWord(line string) string {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}

// fillPayload copies BuildKit's typed command into our own payload types.
func fillPayload(in *Instruction, node *parser.Node, cmd any) error {
	heredocs := func() []Heredoc {
		var hs []Heredoc
		for _, h := range node.Heredocs {
			hs = append(hs, Heredoc{Name: h.Name, Content: h.Content, Chomp: h.Chomp, Expand: h.Expand})
		}
		return hs
	}
	switch c := cmd.(type) {
	case *instructions.Stage:
		in.From = &From{Image: c.BaseName, Name: c.Name, Platform: c.Platform}
		// Keep the stage name as written; BuildKit lower-cases it.
		var args []string
		for n := node.Next; n != nil; n = n.Next {
			args = append(args, n.Value)
		}
		if len(args) == 3 && strings.EqualFold(args[1], "as") {
			in.From.Name = args[2]
		}
	case *instructions.RunCommand:
		r := &Run{Exec: Exec{Shell: c.PrependShell, Args: c.CmdLine, Heredocs: heredocs()}}
		// BuildKit defers --mount fields other than from= until dispatch,
		// when variables can be expanded; until then every mount reads as
		// an empty bind mount. Evaluate them now with variables kept as
		// written. An invalid mount fails the build later; the model keeps
		// what it has.
		_ = c.Expand(func(word string) (string, error) { return word, nil })
		for _, m := range instructions.GetMounts(c) {
			r.Mounts = append(r.Mounts, Mount{Type: string(m.Type), From: m.From, Source: m.Source, Target: m.Target})
		}
		r.Network = string(instructions.GetNetwork(c))
		in.Run = r
	case *instructions.CmdCommand:
		in.Exec = &Exec{Shell: c.PrependShell, Args: c.CmdLine}
	case *instructions.EntrypointCommand:
		in.Exec = &Exec{Shell: c.PrependShell, Args: c.CmdLine}
	case *instructions.ShellCommand:
		in.Exec = &Exec{Args: c.Shell}
	case *instructions.CopyCommand:
		in.Copy = &Copy{Sources: c.SourcePaths, Dest: c.DestPath, From: c.From, Chown: c.Chown, Chmod: c.Chmod, Link: c.Link, Heredocs: heredocs()}
	case *instructions.AddCommand:
		in.Copy = &Copy{Sources: c.SourcePaths, Dest: c.DestPath, Chown: c.Chown, Chmod: c.Chmod, Link: c.Link, Heredocs: heredocs()}
	case *instructions.EnvCommand:
		in.KeyValues = keyValues(c.Env)
	case *instructions.LabelCommand:
		in.KeyValues = keyValues(c.Labels)
	case *instructions.ArgCommand:
		a := &Arg{}
		for _, kv := range c.Args {
			a.Defs = append(a.Defs, ArgDef{Name: kv.Key, Default: kv.Value})
		}
		in.Arg = a
	case *instructions.ExposeCommand:
		in.Words = c.Ports
	case *instructions.VolumeCommand:
		in.Words = c.Volumes
	case *instructions.UserCommand:
		in.Value = c.User
	case *instructions.WorkdirCommand:
		in.Value = c.Path
	case *instructions.StopSignalCommand:
		in.Value = c.Signal
	case *instructions.MaintainerCommand:
		in.Value = c.Maintainer
	case *instructions.HealthCheckCommand:
		h := &Healthcheck{}
		if c.Health != nil {
			h.Test = c.Health.Test
			h.None = len(h.Test) > 0 && h.Test[0] == "NONE"
		}
		in.Healthcheck = h
	case *instructions.OnbuildCommand:
		in.Value = c.Expression
		if res, err := parser.Parse(strings.NewReader(c.Expression)); err == nil && len(res.AST.Children) == 1 {
			inner := res.AST.Children[0]
			if icmd, err := parseInstruction(inner); err == nil {
				sub := &Instruction{Kind: Kind(strings.ToUpper(inner.Value)), Keyword: firstWord(c.Expression),
					StartLine: in.StartLine, EndLine: in.EndLine, Original: in.Original, Flags: inner.Flags}
				if fillPayload(sub, inner, icmd) == nil {
					in.Onbuild = sub
				}
			}
		}
	default:
		return fmt.Errorf("unsupported instruction %s", in.Kind)
	}
	return nil
}

func keyValues(kvs instructions.KeyValuePairs) *KeyValues {
	out := &KeyValues{}
	for _, kv := range kvs {
		out.Pairs = append(out.Pairs, KeyValue{Key: kv.Key, Value: kv.Value, Legacy: kv.NoDelim})
	}
	return out
}
