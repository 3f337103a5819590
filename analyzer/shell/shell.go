// Package shell understands the shell scripts inside RUN instructions.
//
// It parses a script with a real shell parser (mvdan.cc/sh/v3/syntax), not
// regular expressions, and flattens it into the simple commands it runs, in
// order, with the environment each one sees: prefix assignments
// (CGO_ENABLED=0 go build), earlier `export`s and plain assignments, and
// whether the command runs conditionally (inside if/case/||/loops). Wrappers
// such as sudo, env, exec, nice and `sh -c "…"` are looked through, so rules
// and recipes can ask simple questions: is there an `apt-get install` without
// --no-install-recommends, which requirements file does pip install, is
// `go build` run with cgo disabled.
package shell

import (
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Command is one simple command of a script.
type Command struct {
	// Name is the program as written ("apt-get", "/venv/bin/pip"); "" when
	// it is computed at run time.
	Name string
	// Args are the words after the name. Literal words are unquoted;
	// words with expansions keep their source text ("$OUT", "$(nproc)").
	Args []string
	// Assigns are prefix assignments: CGO_ENABLED=0 in `CGO_ENABLED=0 go
	// build`.
	Assigns map[string]string
	// Env holds variables set earlier in the script (export X=1, X=1) that
	// are visible to this command, prefix assignments included.
	Env map[string]string
	// Line is the 1-based line of the command within the script.
	Line int
	// Conditional is true when the command may not run: it is inside an
	// if/case/loop body or on the right of ||.
	Conditional bool
}

// Base returns the program's base name: "pip" for "/venv/bin/pip".
func (c *Command) Base() string { return path.Base(c.Name) }

// Is reports whether the command's base name is one of names.
func (c *Command) Is(names ...string) bool {
	b := c.Base()
	for _, n := range names {
		if b == n {
			return true
		}
	}
	return false
}

// Getenv returns a variable as the command sees it (prefix assignments
// first, then the script's environment).
func (c *Command) Getenv(name string) (string, bool) {
	if v, ok := c.Assigns[name]; ok {
		return v, true
	}
	v, ok := c.Env[name]
	return v, ok
}

// Positionals returns the arguments that are not flags (do not start with
// "-"), skipping the values of the flags listed in valueFlags.
func (c *Command) Positionals(valueFlags ...string) []string {
	var out []string
	skip := false
	for _, a := range c.Args {
		if skip {
			skip = false
			continue
		}
		if a == "--" {
			continue
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			for _, vf := range valueFlags {
				if a == vf {
					skip = true
				}
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// Flag returns the value of the first of names given as "--name value",
// "--name=value" or "-n value". Boolean flags return "" and true.
func (c *Command) Flag(names ...string) (string, bool) {
	for i, a := range c.Args {
		for _, n := range names {
			if a == n {
				if i+1 < len(c.Args) && !strings.HasPrefix(c.Args[i+1], "-") {
					return c.Args[i+1], true
				}
				return "", true
			}
			if strings.HasPrefix(a, n+"=") {
				return a[len(n)+1:], true
			}
		}
	}
	return "", false
}

// HasFlag reports whether any of names appears as a flag (exactly or with
// "=value").
func (c *Command) HasFlag(names ...string) bool {
	_, ok := c.Flag(names...)
	return ok
}

// String renders the command as a single line.
func (c *Command) String() string {
	return strings.TrimSpace(c.Name + " " + strings.Join(c.Args, " "))
}

// Script is a parsed shell script.
type Script struct {
	Commands []*Command
}

// Find returns the commands whose base name is one of names.
func (s *Script) Find(names ...string) []*Command {
	var out []*Command
	for _, c := range s.Commands {
		if c.Is(names...) {
			out = append(out, c)
		}
	}
	return out
}

// Parse parses a POSIX/bash script. Syntax errors are returned with the
// script line; the commands parsed before the error are not returned.
func Parse(src string) (*Script, error) {
	p := syntax.NewParser(syntax.Variant(syntax.LangBash))
	f, err := p.Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, fmt.Errorf("shell syntax: %w", err)
	}
	w := &walker{script: &Script{}, env: map[string]string{}}
	w.stmts(f.Stmts, false, 0)
	return w.script, nil
}

type walker struct {
	script *Script
	env    map[string]string
}

// maxDepth bounds recursion through `sh -c` strings and nested blocks, so a
// hostile script cannot exhaust the stack.
const maxDepth = 16

func (w *walker) stmts(stmts []*syntax.Stmt, cond bool, depth int) {
	for _, st := range stmts {
		w.stmt(st, cond, depth)
	}
}

func (w *walker) stmt(st *syntax.Stmt, cond bool, depth int) {
	if st == nil || depth > maxDepth {
		return
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		w.call(c, cond, depth)
	case *syntax.BinaryCmd:
		w.stmt(c.X, cond, depth+1)
		w.stmt(c.Y, cond || c.Op == syntax.OrStmt, depth+1)
	case *syntax.Block:
		w.stmts(c.Stmts, cond, depth+1)
	case *syntax.Subshell:
		saved := copyEnv(w.env)
		w.stmts(c.Stmts, cond, depth+1)
		w.env = saved
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			w.stmts(ic.Cond, true, depth+1)
			w.stmts(ic.Then, true, depth+1)
		}
	case *syntax.CaseClause:
		for _, item := range c.Items {
			w.stmts(item.Stmts, true, depth+1)
		}
	case *syntax.WhileClause:
		w.stmts(c.Cond, true, depth+1)
		w.stmts(c.Do, true, depth+1)
	case *syntax.ForClause:
		w.stmts(c.Do, true, depth+1)
	case *syntax.TimeClause:
		w.stmt(c.Stmt, cond, depth+1)
	case *syntax.DeclClause:
		if c.Variant != nil && (c.Variant.Value == "export" || c.Variant.Value == "declare" || c.Variant.Value == "readonly") {
			for _, a := range c.Args {
				if a.Name != nil && !a.Naked {
					w.env[a.Name.Value] = wordString(a.Value)
				}
			}
		}
	}
}

func (w *walker) call(c *syntax.CallExpr, cond bool, depth int) {
	if len(c.Args) == 0 {
		// Plain assignments: X=1 sets a shell variable for later commands.
		for _, a := range c.Assigns {
			if a.Name != nil {
				w.env[a.Name.Value] = wordString(a.Value)
			}
		}
		return
	}
	cmd := &Command{Assigns: map[string]string{}, Line: int(c.Pos().Line()), Conditional: cond}
	for _, a := range c.Assigns {
		if a.Name != nil {
			cmd.Assigns[a.Name.Value] = wordString(a.Value)
		}
	}
	words := make([]string, len(c.Args))
	for i, wd := range c.Args {
		words[i] = wordString(wd)
	}
	words = unwrap(words, cmd.Assigns)
	if len(words) == 0 {
		return
	}
	cmd.Name, cmd.Args = words[0], words[1:]
	cmd.Env = copyEnv(w.env)
	for k, v := range cmd.Assigns {
		cmd.Env[k] = v
	}
	// sh -c "script": analyse the inner script too.
	if cmd.Is("sh", "bash", "dash", "ash") {
		if script, ok := cmd.Flag("-c"); ok && script != "" {
			if inner, err := syntax.NewParser().Parse(strings.NewReader(script), ""); err == nil {
				sub := &walker{script: w.script, env: copyEnv(cmd.Env)}
				for _, st := range inner.Stmts {
					sub.stmt(st, cond, depth+1)
				}
				return
			}
		}
	}
	w.script.Commands = append(w.script.Commands, cmd)
}

// unwrap strips command wrappers (sudo, env, exec, nice, command, time,
// nohup) and folds `env A=B` assignments into assigns.
func unwrap(words []string, assigns map[string]string) []string {
	for len(words) > 0 {
		switch path.Base(words[0]) {
		case "sudo", "exec", "command", "nohup", "time", "builtin":
			words = words[1:]
			for len(words) > 0 && strings.HasPrefix(words[0], "-") {
				words = words[1:]
			}
		case "nice":
			words = words[1:]
			if len(words) > 1 && words[0] == "-n" {
				words = words[2:]
			}
		case "env":
			words = words[1:]
			for len(words) > 0 {
				if k, v, ok := strings.Cut(words[0], "="); ok && !strings.HasPrefix(words[0], "-") && k != "" {
					assigns[k] = v
					words = words[1:]
					continue
				}
				if strings.HasPrefix(words[0], "-") {
					words = words[1:]
					continue
				}
				break
			}
		default:
			return words
		}
	}
	return words
}

func copyEnv(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// wordString renders a word: literal parts unquoted, expansions as source.
func wordString(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	for _, part := range w.Parts {
		writePart(&b, part)
	}
	return b.String()
}

func writePart(b *strings.Builder, part syntax.WordPart) {
	switch p := part.(type) {
	case *syntax.Lit:
		b.WriteString(unescapeLit(p.Value))
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			writePart(b, q)
		}
	default:
		var sb strings.Builder
		if err := syntax.NewPrinter().Print(&sb, part.(syntax.Node)); err == nil {
			b.WriteString(sb.String())
		}
	}
}

// unescapeLit removes backslash escapes from an unquoted literal.
func unescapeLit(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
