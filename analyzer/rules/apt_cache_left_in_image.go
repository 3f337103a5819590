package rules

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// AptCacheLeftInImage reports RUNs of the shipped image that run
// `apt-get update` and leave the package lists in their layer.
var AptCacheLeftInImage = &analysis.Rule{
	Name:     "AptCacheLeftInImage",
	Summary:  "apt-get update leaves the package lists in a layer of the shipped image; remove /var/lib/apt/lists/* in the same RUN.",
	Doc:      mustDoc("AptCacheLeftInImage"),
	URL:      ruleURL("AptCacheLeftInImage"),
	Severity: analysis.Warning,
	Category: analysis.Hygiene,
	Hadolint: []string{"DL3009"},
	Run:      runAptCacheLeftInImage,
}

const (
	aptLists   = "/var/lib/apt/lists"
	aptCleanup = "rm -rf /var/lib/apt/lists/*"
)

func runAptCacheLeftInImage(p *analysis.Pass) {
	// Only the image chain: a build stage's lists never reach the image.
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindRun) {
			s := script(p, in)
			if s == nil {
				continue
			}
			upd := firstApt(s, "update")
			if upd == nil || cleansAptLists(s) || mountCovers(in, aptLists) {
				continue
			}
			msg := fmt.Sprintf("%s in %s runs %s but does not remove %s/* in the same RUN, so the package lists stay in this layer of the image, megabytes that nothing reads at run time",
				runAt(in), shippedStage(p, st), cmdText(upd), aptLists)
			if later := laterAptCleanup(p, in); later != nil {
				msg += fmt.Sprintf("; removing them in the later RUN (line %d) does not shrink the image, because this layer keeps them", later.StartLine)
			}
			msg += "; end this RUN with `&& " + aptCleanup + "` or mount a cache at /var/lib/apt"
			f := p.Reportf(analysis.SpanOf(in), "%s", msg)
			if needer := laterAptNeedsLists(p, in); needer != nil {
				f.Message += fmt.Sprintf(" (no automatic fix: the RUN at line %d installs packages without its own apt-get update, so move the update there)", needer.StartLine)
				continue
			}
			if edits := aptCleanupEdits(p.File, in, s); edits != nil {
				f.WithFix("Remove the apt package lists in the same RUN", edits...)
			}
		}
	}
}

// aptSubcommand returns the subcommand of an apt-get/apt/apt-cache
// command ("update", "install", …), or "".
func aptSubcommand(c *shell.Command) string {
	if !c.Is("apt-get", "apt", "apt-cache") {
		return ""
	}
	pos := c.Positionals("-o", "-t", "--target-release", "-c")
	if len(pos) == 0 {
		return ""
	}
	return pos[0]
}

// firstApt returns the first apt command with one of the subcommands.
func firstApt(s *shell.Script, subs ...string) *shell.Command {
	for _, c := range s.Commands {
		sub := aptSubcommand(c)
		for _, want := range subs {
			if sub == want {
				return c
			}
		}
	}
	return nil
}

// cleansAptLists reports whether a script removes the package lists: rm
// or find -delete on /var/lib/apt/lists, or apt-get distclean.
func cleansAptLists(s *shell.Script) bool {
	if s.CleansAptLists() || firstApt(s, "distclean", "dist-clean") != nil {
		return true
	}
	for _, c := range s.Find("find") {
		var dir, del bool
		for _, a := range c.Args {
			dir = dir || strings.HasPrefix(a, aptLists)
			del = del || a == "-delete"
		}
		if dir && del {
			return true
		}
	}
	return false
}

// laterRuns returns the RUNs built on top of in's layer, in order: the
// rest of its stage and of every stage built FROM it, in the whole file
// (a fix changes the file for every target, not only this one).
func laterRuns(f *dockerfile.File, in *dockerfile.Instruction) []*dockerfile.Instruction {
	seen := map[*dockerfile.Instruction]bool{}
	var out []*dockerfile.Instruction
	for _, st := range f.Stages {
		after := false
		for _, x := range chainInstructions(st, nil) {
			if x == in {
				after = true
				continue
			}
			if after && x.Kind == dockerfile.KindRun && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	return out
}

// laterAptCleanup returns a later RUN of the image chain that removes the
// lists, or nil.
func laterAptCleanup(p *analysis.Pass, in *dockerfile.Instruction) *dockerfile.Instruction {
	for _, x := range laterRuns(p.File, in) {
		if !p.InChain(x.Stage) {
			continue
		}
		if s := script(p, x); s != nil && cleansAptLists(s) {
			return x
		}
	}
	return nil
}

// aptNeedsLists are apt subcommands that read the package lists.
var aptNeedsLists = map[string]bool{
	"install": true, "reinstall": true, "upgrade": true, "dist-upgrade": true, "full-upgrade": true,
	"build-dep": true, "source": true, "download": true, "satisfy": true,
	"search": true, "show": true, "policy": true, "madison": true, "depends": true, "rdepends": true,
}

// laterAptNeedsLists returns a later RUN that uses the package lists
// before updating them itself, or nil. Removing the lists in `in` would
// break it.
func laterAptNeedsLists(p *analysis.Pass, in *dockerfile.Instruction) *dockerfile.Instruction {
	for _, x := range laterRuns(p.File, in) {
		s := script(p, x)
		if s == nil {
			if strings.Contains(x.Original, "apt") {
				return x // cannot tell: be safe
			}
			continue
		}
		for _, c := range s.Commands {
			sub := aptSubcommand(c)
			if sub == "update" {
				break
			}
			if aptNeedsLists[sub] {
				return x
			}
		}
	}
	return nil
}

// aptCleanupEdits appends the cleanup to a RUN when that is certainly
// right: the new script must parse and end with the cleanup, run
// unconditionally, and nothing else may change. Otherwise it returns nil.
func aptCleanupEdits(f *dockerfile.File, in *dockerfile.Instruction, old *shell.Script) []analysis.Edit {
	if in.Run == nil || !in.Run.Shell || len(old.Commands) == 0 || old.Commands[len(old.Commands)-1].Is("exit") {
		return nil
	}
	src, ok := in.Run.Script()
	if !ok {
		return nil
	}
	lines := in.Lines()
	last := lines[len(lines)-1]
	if hs := in.Run.Heredocs; len(hs) > 0 {
		// Only RUN <<EOF … EOF: add a line before the delimiter.
		if len(hs) != 1 || src != hs[0].Content || len(lines) < 3 {
			return nil
		}
		term := last
		if hs[0].Chomp {
			term = strings.TrimLeft(term, "\t")
		}
		if term != hs[0].Name {
			return nil
		}
		indent := ""
		for i := len(lines) - 2; i > 0; i-- {
			if strings.TrimSpace(lines[i]) != "" {
				indent = lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
				break
			}
		}
		if !endsWithCleanup(old, src+indent+aptCleanup+"\n") {
			return nil
		}
		return []analysis.Edit{{StartLine: in.EndLine, EndLine: in.EndLine - 1, Text: indent + aptCleanup}}
	}
	trimmed := strings.TrimRight(last, " \t")
	if trimmed == "" || strings.HasSuffix(trimmed, string(f.Escape)) || (len(lines) > 1 && isCommentLine(last)) {
		return nil
	}
	// The line must end the way the command line does, so that appending
	// to the line appends to the script.
	t := strings.TrimSpace(trimmed)
	m := min(len(src), len(t))
	if m == 0 || !strings.HasSuffix(t, src[len(src)-m:]) {
		return nil
	}
	sep := " && "
	if strings.HasSuffix(src, ";") {
		sep = " "
	}
	if !endsWithCleanup(old, src+sep+aptCleanup) {
		return nil
	}
	return []analysis.Edit{{StartLine: in.EndLine, EndLine: in.EndLine, Text: trimmed + sep + aptCleanup}}
}

// endsWithCleanup reports whether src parses to old's commands plus an
// unconditional list cleanup at the end.
func endsWithCleanup(old *shell.Script, src string) bool {
	s, err := shell.Parse(src)
	if err != nil || len(s.Commands) != len(old.Commands)+1 {
		return false
	}
	for i, c := range old.Commands {
		if s.Commands[i].String() != c.String() {
			return false
		}
	}
	last := s.Commands[len(s.Commands)-1]
	return last.Is("rm") && !last.Conditional && last.String() == aptCleanup
}
