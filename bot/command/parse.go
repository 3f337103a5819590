package command

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/google/shlex"
)

// Result classifies a comment. Exactly one of Invocation, Reply and Ignore
// is set.
type Result struct {
	// Invocation is a command to run.
	Invocation *Invocation
	// Reply answers a command line that cannot run as written (usage
	// error, unknown subcommand), with usage and a "did you mean".
	Reply string
	// Ignore means the comment holds no command for distill.
	Ignore bool
	// Line is the command line the result is about ("" when ignored).
	Line string
}

// Parse reads the first command of a comment. A command is the first word
// of a line, case-insensitively; lines inside fenced or indented code
// blocks, block quotes and HTML comments are not read, so quoting someone
// else's command never runs it. Only the first command line counts.
func Parse(body string) Result {
	for _, line := range commandLines(body) {
		fields := strings.Fields(line)
		word := strings.ToLower(fields[0])
		if !strings.HasPrefix(word, "/") {
			continue
		}
		rest := strings.TrimSpace(line[len(fields[0]):])
		if word == Prefix {
			return parseSub(line, rest)
		}
		for _, c := range All() {
			if c.TopLevel && word == "/"+c.Name {
				return parseArgs(c, line, rest)
			}
		}
		if s := nearMiss(word); s != "" {
			return Result{Line: line, Reply: fmt.Sprintf("`%s` is not a distill command. Did you mean `%s`?\n\n%s", fields[0], s, usageTable())}
		}
	}
	return Result{Ignore: true}
}

// parseSub reads `/distill <sub> args…`.
func parseSub(line, rest string) Result {
	if rest == "" {
		return Result{Line: line, Invocation: &Invocation{Command: Help, Line: line}}
	}
	sub := strings.Fields(rest)[0]
	c := lookupSub(sub)
	if c == nil {
		msg := fmt.Sprintf("distill has no command `%s %s`.", Prefix, sub)
		if s := suggestSub(sub); s != nil {
			msg += fmt.Sprintf(" Did you mean `%s`?", s.Usage())
		}
		return Result{Line: line, Reply: msg + "\n\n" + usageTable()}
	}
	return parseArgs(c, line, strings.TrimSpace(rest[len(sub):]))
}

// parseArgs splits and checks a command's arguments.
func parseArgs(c *Command, line, rest string) Result {
	args, err := shlex.Split(rest)
	if err != nil {
		return Result{Line: line, Reply: fmt.Sprintf("distill could not read the arguments of `%s` (%v).\n\nUsage: `%s`", c.Usage(), err, c.Usage())}
	}
	var clean []string
	for _, a := range args {
		a = strings.Trim(strings.TrimRight(a, ","), "`")
		if a != "" {
			clean = append(clean, a)
		}
	}
	if len(clean) < c.MinArgs || (c.MaxArgs >= 0 && len(clean) > c.MaxArgs) {
		return Result{Line: line, Reply: fmt.Sprintf("Usage: `%s` — %s", c.Usage(), c.Summary)}
	}
	if c == Optimize {
		paths, err := cleanPaths(clean)
		if err != nil {
			return Result{Line: line, Reply: fmt.Sprintf("%v\n\nUsage: `%s` — %s", err, c.Usage(), c.Summary)}
		}
		clean = paths
	}
	return Result{Line: line, Invocation: &Invocation{Command: c, Args: clean, Line: line}}
}

// nearMiss suggests a command for a slash word one typo away from one
// (`/optimise`, `/distil`); anything further is someone else's command.
func nearMiss(word string) string {
	cands := []string{Prefix}
	for _, c := range All() {
		if c.TopLevel {
			cands = append(cands, "/"+c.Name)
		}
	}
	for _, c := range cands {
		if levenshtein.ComputeDistance(word, c) == 1 {
			return c
		}
	}
	return ""
}

// suggestSub finds the subcommand closest to a misspelled one: within two
// edits, or one the word starts.
func suggestSub(sub string) *Command {
	sub = strings.ToLower(sub)
	type cand struct {
		c *Command
		d int
	}
	var cs []cand
	for _, c := range All() {
		d := levenshtein.ComputeDistance(sub, c.Name)
		if strings.HasPrefix(c.Name, sub) && len(sub) >= 3 {
			d = min(d, 1)
		}
		if d <= 2 {
			cs = append(cs, cand{c, d})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	return cs[0].c
}

// commandLines returns the trimmed, non-empty lines of a markdown body that
// are plain text: not in fenced or indented code, block quotes or HTML
// comments.
func commandLines(body string) []string {
	var out []string
	var fence string // the open fence's marker run, "" outside fences
	inComment := false
	for _, raw := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line := strings.TrimRight(raw, " \t")
		indent := len(line) - len(strings.TrimLeft(line, " "))
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if indent <= 3 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if inComment {
			if i := strings.Index(trimmed, "-->"); i >= 0 {
				inComment = false
				trimmed = strings.TrimSpace(trimmed[i+3:])
				if trimmed == "" {
					continue
				}
			} else {
				continue
			}
		}
		if indent <= 3 {
			if f := fenceOpen(trimmed); f != "" {
				fence = f
				continue
			}
		}
		if strings.HasPrefix(trimmed, "<!--") {
			if i := strings.Index(trimmed, "-->"); i >= 0 {
				trimmed = strings.TrimSpace(trimmed[i+3:])
			} else {
				inComment = true
				continue
			}
		}
		if trimmed == "" || indent >= 4 || strings.HasPrefix(line, "\t") || strings.HasPrefix(trimmed, ">") {
			continue
		}
		out = append(out, trimmed)
	}
	return out
}

// fenceOpen returns the marker run of a code fence opening ("```", "~~~~"),
// or "".
func fenceOpen(s string) string {
	for _, ch := range []byte{'`', '~'} {
		n := 0
		for n < len(s) && s[n] == ch {
			n++
		}
		if n >= 3 {
			if ch == '`' && strings.Contains(s[n:], "`") {
				return "" // an inline code span, not a fence
			}
			return s[:n]
		}
	}
	return ""
}
