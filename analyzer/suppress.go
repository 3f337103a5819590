package analyzer

import (
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// suppressions holds in-file ignore comments:
//
//	# distill ignore=RuleA,RuleB      (the next instruction)
//	# distill ignore-file=RuleA       (the whole file)
//	# hadolint ignore=DL3008,DL3009   (the next instruction, mapped ids)
//	# hadolint global ignore=DL3008   (the whole file)
//
// BuildKit's own `# check=skip=` directive is honoured by BuildKit's linter
// itself.
type suppressions struct {
	file  map[string]bool         // rule names and hadolint ids, file-wide
	lines map[int]map[string]bool // instruction line → names and ids
	f     *dockerfile.File
}

func parseSuppressions(f *dockerfile.File) *suppressions {
	s := &suppressions{file: map[string]bool{}, lines: map[int]map[string]bool{}, f: f}
	for _, in := range f.Instructions {
		// The comment block directly above the instruction.
		for l := in.StartLine - 1; l >= 1; l-- {
			text := strings.TrimSpace(f.Line(l))
			if !strings.HasPrefix(text, "#") {
				break
			}
			names, fileWide := parseIgnoreComment(text)
			for _, n := range names {
				if fileWide {
					s.file[n] = true
					continue
				}
				for line := in.StartLine; line <= in.EndLine; line++ {
					if s.lines[line] == nil {
						s.lines[line] = map[string]bool{}
					}
					s.lines[line][n] = true
				}
			}
		}
	}
	// File-wide forms may appear anywhere, also below the last instruction.
	for _, line := range f.Lines {
		text := strings.TrimSpace(line)
		if !strings.HasPrefix(text, "#") {
			continue
		}
		if names, fileWide := parseIgnoreComment(text); fileWide {
			for _, n := range names {
				s.file[n] = true
			}
		}
	}
	return s
}

// parseIgnoreComment reads one comment line and returns the rule names or
// hadolint ids it suppresses and whether it applies to the whole file.
func parseIgnoreComment(text string) ([]string, bool) {
	body := strings.TrimSpace(strings.TrimPrefix(text, "#"))
	var list string
	fileWide := false
	switch {
	case strings.HasPrefix(body, "distill ignore-file="):
		list, fileWide = strings.TrimPrefix(body, "distill ignore-file="), true
	case strings.HasPrefix(body, "distill ignore="):
		list = strings.TrimPrefix(body, "distill ignore=")
	case strings.HasPrefix(body, "hadolint global ignore="):
		list, fileWide = strings.TrimPrefix(body, "hadolint global ignore="), true
	case strings.HasPrefix(body, "hadolint ignore="):
		list = strings.TrimPrefix(body, "hadolint ignore=")
	default:
		return nil, false
	}
	// Allow a trailing explanation: "# distill ignore=RunsAsRoot needs root".
	list, _, _ = strings.Cut(strings.TrimSpace(list), " ")
	var out []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out, fileWide
}

func (s *suppressions) suppressed(r *analysis.Rule, line int) bool {
	if r == nil {
		return false
	}
	match := func(set map[string]bool) bool {
		if set[r.Name] {
			return true
		}
		for _, id := range r.Hadolint {
			if set[id] {
				return true
			}
		}
		return false
	}
	return match(s.file) || match(s.lines[line])
}
