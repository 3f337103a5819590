package rules

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Helpers shared by the hygiene rules: where a stage keeps its files
// (WORKDIR, HOME, mounts), what a RUN's shell commands are, and text edits
// inside RUN instructions that are only offered when they are certain.

// stageChain returns st and the stages it is built FROM, outermost first.
func stageChain(st *dockerfile.Stage) []*dockerfile.Stage {
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := st; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	return chain
}

// chainInstructions returns the instructions of st's FROM chain, in build
// order, ending just before upto (nil: all of them).
func chainInstructions(st *dockerfile.Stage, upto *dockerfile.Instruction) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, s := range stageChain(st) {
		for _, in := range s.Instructions {
			if in == upto {
				return out
			}
			out = append(out, in)
		}
	}
	return out
}

var envRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// expandEnv expands $VAR and ${VAR} from env; ok is false when a variable
// has no known value (or uses a ${VAR:-…} modifier).
func expandEnv(s string, env map[string]string) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	ok := true
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "${") && !strings.HasSuffix(m, "}") {
			ok = false
			return m
		}
		name := envRef.FindStringSubmatch(m)[1]
		v, known := env[name]
		if !known {
			ok = false
		}
		return v
	})
	if strings.Contains(out, "$") {
		ok = false
	}
	return out, ok
}

// workdirAt returns the WORKDIR in effect before instruction upto of stage
// st ("/" when none is set: the base image's own WORKDIR is not known, and
// official images leave it at "/"). ok is false when it depends on a
// variable distill cannot resolve.
func workdirAt(st *dockerfile.Stage, upto *dockerfile.Instruction) (string, bool) {
	dir := "/"
	for _, in := range chainInstructions(st, upto) {
		if in.Kind != dockerfile.KindWorkdir {
			continue
		}
		v, ok := expandEnv(in.Value, analysis.Env(in.Stage, in))
		if !ok {
			return "", false
		}
		dir = joinPath(dir, v)
	}
	return dir, true
}

// workdirOf is workdirAt for a RUN, cached per pass.
func workdirOf(p *analysis.Pass, in *dockerfile.Instruction) (string, bool) {
	type wd struct {
		dir string
		ok  bool
	}
	w := memoFor(p, "hygiene.workdir", in, func() wd {
		d, ok := workdirAt(in.Stage, in)
		return wd{d, ok}
	})
	return w.dir, w.ok
}

// userAt returns the USER in effect before instruction upto ("" when none
// is set, which for the images distill knows means root).
func userAt(st *dockerfile.Stage, upto *dockerfile.Instruction) string {
	user := ""
	for _, in := range chainInstructions(st, upto) {
		if in.Kind == dockerfile.KindUser {
			user = in.Value
		}
	}
	return user
}

// homeAt returns $HOME for commands run before instruction upto, given the
// environment env those commands see; ok is false when it is unknown (a
// non-root USER without HOME set).
func homeAt(st *dockerfile.Stage, upto *dockerfile.Instruction, env map[string]string) (string, bool) {
	if h, ok := env["HOME"]; ok && strings.HasPrefix(h, "/") {
		return path.Clean(h), true
	}
	if u := userAt(st, upto); u != "" && !isRootUser(u) {
		return "", false
	}
	return "/root", true
}

// joinPath resolves p against dir the way WORKDIR and COPY do.
func joinPath(dir, p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	return path.Join(dir, p)
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	p, dir = path.Clean(p), path.Clean(dir)
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// mountCovers reports whether a RUN mounts a cache or tmpfs over dir (or a
// directory containing it), so that what is written there never reaches
// the layer.
func mountCovers(in *dockerfile.Instruction, dir string) bool {
	if in.Run == nil {
		return false
	}
	for _, m := range in.Run.Mounts {
		if (m.Type == "cache" || m.Type == "tmpfs") && m.Target != "" && within(dir, joinPath("/", m.Target)) {
			return true
		}
	}
	return false
}

// hasCacheMount reports whether a RUN has any cache mount.
func hasCacheMount(in *dockerfile.Instruction) bool {
	if in.Run == nil {
		return false
	}
	for _, m := range in.Run.Mounts {
		if m.Type == "cache" {
			return true
		}
	}
	return false
}

// script returns the parsed shell script of a RUN, or nil.
func script(p *analysis.Pass, in *dockerfile.Instruction) *shell.Script {
	s, err := p.Script(in)
	if err != nil {
		return nil
	}
	return s
}

// runEnv returns the environment a command of a RUN sees: the Dockerfile's
// ENV and ARG values (computed once per RUN and pass), then the script's
// own assignments. The map is the caller's.
func runEnv(p *analysis.Pass, in *dockerfile.Instruction, c *shell.Command) map[string]string {
	base := memoFor(p, "hygiene.env", in, func() map[string]string { return analysis.Env(in.Stage, in) })
	env := make(map[string]string, len(base)+len(c.Env))
	for k, v := range base {
		env[k] = v
	}
	if c != nil {
		for k, v := range c.Env {
			env[k] = v
		}
	}
	return env
}

// instrCache holds a per-instruction value for one pass.
type instrCache[T any] map[*dockerfile.Instruction]T

// memoFor computes a value once per instruction and file, shared by every
// rule of the run (Pass.Memo is per file).
func memoFor[T any](p *analysis.Pass, key string, in *dockerfile.Instruction, compute func() T) T {
	m := p.Memo(key, func() any { return instrCache[T]{} }).(instrCache[T])
	if v, ok := m[in]; ok {
		return v
	}
	v := compute()
	m[in] = v
	return v
}

// truthy reports whether an environment value enables a boolean setting.
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// isCommentLine reports whether a source line is a comment.
func isCommentLine(s string) bool {
	return strings.HasPrefix(strings.TrimSpace(s), "#")
}

// runInsertions inserts text right after matches of re in a RUN's source
// lines. The matches must be exactly the n commands a rule found in the
// parsed script, in order: ins maps a command's index to the text to
// insert after its match. Comment lines are skipped. When the matches do
// not line up one to one (a command split over continuation lines, one
// hidden in a string) it returns nil: a fix is never guessed.
func runInsertions(in *dockerfile.Instruction, re *regexp.Regexp, n int, ins map[int]string) []analysis.Edit {
	if len(ins) == 0 {
		return nil
	}
	type hit struct{ line, col int }
	var hits []hit
	lines := in.Lines()
	for i, l := range lines {
		if i > 0 && isCommentLine(l) {
			continue
		}
		for _, m := range re.FindAllStringIndex(l, -1) {
			hits = append(hits, hit{i, m[1]})
		}
	}
	if len(hits) != n {
		return nil
	}
	byLine := map[int][]int{} // line → insertion columns (hit indexes)
	for i, text := range ins {
		if i < 0 || i >= len(hits) || text == "" {
			return nil
		}
		byLine[hits[i].line] = append(byLine[hits[i].line], i)
	}
	var edits []analysis.Edit
	for line, idx := range byLine {
		// Insert from the right so earlier columns stay valid.
		sort.Slice(idx, func(a, b int) bool { return hits[idx[a]].col > hits[idx[b]].col })
		l := lines[line]
		for _, i := range idx {
			l = l[:hits[i].col] + ins[i] + l[hits[i].col:]
		}
		edits = append(edits, analysis.Edit{StartLine: in.StartLine + line, EndLine: in.StartLine + line, Text: l})
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].StartLine < edits[b].StartLine })
	return edits
}

// cmdText renders a command for a message, shortened when long.
func cmdText(c *shell.Command) string {
	s := c.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "`" + s + "`"
}

// runAt names a RUN for messages: "RUN (line 12)".
func runAt(in *dockerfile.Instruction) string {
	return fmt.Sprintf("RUN (line %d)", in.StartLine)
}

// shippedStage describes a stage of the image chain for messages, saying
// why it ships when it is not the target itself.
func shippedStage(p *analysis.Pass, st *dockerfile.Stage) string {
	if st == p.Target {
		return st.Describe() + " (the shipped image)"
	}
	return st.Describe() + " (the shipped image is built FROM it)"
}

// copyFromStage returns the stage a COPY --from names, or nil for external
// images and plain COPYs.
func copyFromStage(f *dockerfile.File, in *dockerfile.Instruction) *dockerfile.Stage {
	if in.Copy == nil || in.Copy.From == "" || in.Stage == nil {
		return nil
	}
	for _, d := range in.Stage.DependsOn {
		if (d.Name != "" && strings.EqualFold(d.Name, in.Copy.From)) || strconv.Itoa(d.Index) == in.Copy.From {
			return d
		}
	}
	return nil
}
