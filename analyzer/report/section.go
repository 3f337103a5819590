package report

import (
	"fmt"
	"strings"
)

// ReplaceSection replaces the generated part of a document between the
// lines `<!-- name:begin … -->` and `<!-- name:end -->`, so hand-written
// documents (the README) can carry tables generated from the code.
func ReplaceSection(doc, name, body string) (string, error) {
	begin := "<!-- " + name + ":begin"
	end := "<!-- " + name + ":end -->"
	i := strings.Index(doc, begin)
	if i < 0 {
		return "", fmt.Errorf("no %q marker", begin)
	}
	nl := strings.Index(doc[i:], "\n")
	if nl < 0 {
		return "", fmt.Errorf("marker %q has no line end", begin)
	}
	start := i + nl + 1
	j := strings.Index(doc[start:], end)
	if j < 0 {
		return "", fmt.Errorf("no %q marker", end)
	}
	return doc[:start] + body + doc[start+j:], nil
}
