package rules

import "github.com/distill-bot/distill/analyzer/analysis"

// SyntaxError is reported by the engine itself when BuildKit cannot parse a
// Dockerfile; it exists as a rule so it is documented, listed and can be
// configured like any other.
var SyntaxError = &analysis.Rule{
	Name:     "SyntaxError",
	Summary:  "The Dockerfile does not parse with BuildKit's parser.",
	Doc:      mustDoc("SyntaxError"),
	URL:      ruleURL("SyntaxError"),
	Severity: analysis.Error,
	Category: analysis.Syntax,
	Run:      func(*analysis.Pass) {},
}
