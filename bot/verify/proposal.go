package verify

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
)

// ExpectationFor derives what a proposal promises from its final image
// reference: the runtime family (static, base, cc, python3, nodejsNN,
// javaNN), no shell for distroless and chiseled images, and a non-root
// user for :nonroot tags and chiseled images.
func ExpectationFor(finalImage string) Expectation {
	var e Expectation
	name, tag, _ := strings.Cut(finalImage[strings.LastIndex(finalImage, "/")+1:], ":")
	switch {
	case strings.Contains(finalImage, "gcr.io/distroless/"):
		e.Distroless = true
		e.NonRoot = strings.Contains(tag, "nonroot")
		family := name
		if i := strings.Index(family, "-debian"); i >= 0 {
			family = family[:i]
		}
		switch {
		case family == "static":
			e.Runtime = RuntimeStatic
		case family == "base" || family == "base-nossl":
			e.Runtime = RuntimeBase
		case family == "cc":
			e.Runtime = RuntimeCC
		case family == "python3":
			e.Runtime, e.PythonMinor = RuntimePython3, "3.13"
		case strings.HasPrefix(family, "nodejs"):
			e.Runtime = RuntimeNodeJS
		case strings.HasPrefix(family, "java"):
			e.Runtime = RuntimeJava
		}
	case strings.Contains(tag, "chiseled"):
		// Microsoft's chiseled .NET images: no shell, user 1654.
		e.Distroless, e.NonRoot = true, true
	}
	return e
}

// ExpectationOf is ExpectationFor the proposal's final image, plus the
// packages the proposal's build installs.
func ExpectationOf(p *convert.Proposal) Expectation {
	e := ExpectationFor(p.FinalImage)
	if e.Runtime == RuntimePython3 {
		e.PythonPackages = p.Packages
	}
	return e
}

// Summary renders a report in one line for reviews and pull request
// bodies: "built ✓, inspected ✓, 812 MB → 9.8 MB (−99%)".
func (r *Report) Summary() string {
	switch r.Verdict {
	case Skipped:
		return "not verified: " + r.Reason
	case OriginalBroken:
		s := "the original Dockerfile does not build, so there is no baseline"
		if r.Converted != nil && r.Converted.Built {
			s += fmt.Sprintf("; the proposal builds (%s)", HumanSize(r.Converted.UncompressedSize))
		}
		return s
	}
	built := r.Converted != nil && r.Converted.Built
	var b strings.Builder
	b.WriteString(mark("built", built))
	if built {
		failed := r.Failures()
		b.WriteString(", " + mark("inspected", len(failed) == 0))
		if r.Original != nil && r.Original.Built {
			o, c := r.Original.UncompressedSize, r.Converted.UncompressedSize
			fmt.Fprintf(&b, ", %s → %s", HumanSize(o), HumanSize(c))
			if o > 0 {
				fmt.Fprintf(&b, " (%+.0f%%)", 100*float64(c-o)/float64(o))
			}
		}
		if len(failed) > 0 {
			fmt.Fprintf(&b, "; %s: %s", failed[0].Name, failed[0].Detail)
		}
	} else if r.Converted != nil && r.Converted.BuildError != "" {
		fmt.Fprintf(&b, ": %s", firstLine(r.Converted.BuildError))
	}
	return b.String()
}

func mark(what string, ok bool) string {
	if ok {
		return what + " ✓"
	}
	return what + " ✗"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

// HumanSize renders a byte count as "9.8 MB" (powers of 1000, as
// registries show sizes).
func HumanSize(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
