package command

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/distill-bot/distill/analyzer"
)

// Explain replies with a rule's documentation.
var Explain = &Command{
	Name:    "explain",
	Args:    "<Rule>",
	Summary: "Reply with the documentation of a rule, e.g. `/distill explain RunsAsRoot`.",
	MinArgs: 1,
	MaxArgs: 1,
	Run: func(ctx context.Context, inv *Invocation, env Env) (Outcome, error) {
		return explain(inv.Args[0]), nil
	},
}

// maxDoc keeps a rule's documentation within a comment.
const maxDoc = 60000

func explain(name string) Outcome {
	r := analyzer.LookupRule(name)
	if r == nil {
		msg := fmt.Sprintf("distill has no rule `%s`.", name)
		if s := suggestRules(name); len(s) > 0 {
			msg += " Did you mean " + strings.Join(s, " or ") + "?"
		}
		return Outcome{Refused: true, Reply: msg + "\n\nThe rules are listed by `distill rules` and in docs/rules/."}
	}
	doc := strings.TrimSpace(r.Doc)
	if len(doc) > maxDoc {
		doc = doc[:maxDoc] + "\n\n…"
	}
	return Outcome{Reply: fmt.Sprintf("### %s\n\n%s · %s · [documentation](%s)\n\n%s\n", r.Name, r.Severity, r.Category, r.URL, doc)}
}

// suggestRules returns up to two rule names close to a misspelled one.
func suggestRules(name string) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	lower := strings.ToLower(name)
	for _, r := range analyzer.Rules() {
		rl := strings.ToLower(r.Name)
		d := levenshtein.ComputeDistance(lower, rl)
		if len(lower) >= 4 && strings.Contains(rl, lower) {
			d = min(d, 1)
		}
		if d <= max(2, len(r.Name)/4) {
			cs = append(cs, cand{r.Name, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for i := 0; i < len(cs) && i < 2; i++ {
		out = append(out, "`"+cs[i].name+"`")
	}
	return out
}
