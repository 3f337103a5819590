package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// AddInsteadOfCopy reports ADD of local files where COPY does the same.
var AddInsteadOfCopy = &analysis.Rule{
	Name:     "AddInsteadOfCopy",
	Summary:  "ADD of local files or directories: use COPY, which does only that.",
	Doc:      mustDoc("AddInsteadOfCopy"),
	URL:      ruleURL("AddInsteadOfCopy"),
	Severity: analysis.Info,
	Category: analysis.Hygiene,
	Hadolint: []string{"DL3020"},
	Run:      runAddInsteadOfCopy,
}

// archiveSuffixes are names ADD may auto-extract: BuildKit unpacks local
// tar archives, plain or compressed with gzip, bzip2, xz or zstd, judged by
// content. A name like these means extraction is probably intended.
var archiveSuffixes = []string{".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".tzst", ".taz", ".gz", ".bz2", ".xz", ".zst", ".zstd"}

// copyFlags are the ADD flags COPY accepts too.
var copyFlags = map[string]bool{"chown": true, "chmod": true, "link": true, "exclude": true}

func runAddInsteadOfCopy(p *analysis.Pass) {
	// Every stage that is built: ADD's extra behaviour surprises wherever
	// it runs.
	for _, st := range p.Reachable() {
		for _, in := range st.All(dockerfile.KindAdd) {
			if in.Copy == nil || (len(in.Copy.Sources) == 0 && len(in.Copy.Heredocs) == 0) {
				continue
			}
			if reason := addNeeded(in.Copy); reason != "" {
				continue
			}
			f := p.Reportf(analysis.SpanOf(in), "%s (line %d) only copies local files, which COPY does too: ADD also downloads URLs, clones git repositories and unpacks local tar archives, so a reader has to check the sources to know what it does; use COPY",
				addText(in), in.StartLine)
			if flag := addOnlyFlag(in); flag != "" {
				f.Message += fmt.Sprintf(" (no automatic fix: %s is an ADD-only flag)", flag)
				continue
			}
			if e, ok := keywordEdit(p.File, in, "COPY"); ok {
				f.WithFix("Use COPY", e)
			}
		}
	}
}

// addText renders an ADD for messages: keyword, sources and destination.
func addText(in *dockerfile.Instruction) string {
	srcs := append([]string(nil), in.Copy.Sources...)
	for _, h := range in.Copy.Heredocs {
		srcs = append(srcs, "<<"+h.Name)
	}
	return shorten(in.Keyword+" "+strings.Join(append(srcs, in.Copy.Dest), " "), 60)
}

// addNeeded returns why an ADD needs ADD ("" when COPY would do): a URL or
// git source, a source that may be an archive to unpack, or a source whose
// name is only known at build time.
func addNeeded(c *dockerfile.Copy) string {
	if len(c.Heredocs) > 0 {
		return "" // COPY takes heredocs too
	}
	for _, s := range c.Sources {
		l := strings.ToLower(s)
		switch {
		case strings.Contains(l, "://") || strings.HasPrefix(l, "git@"):
			return "a remote source"
		case strings.Contains(s, "$"):
			return "a source named by a variable"
		}
		base := path.Base(l)
		for _, suf := range archiveSuffixes {
			if strings.HasSuffix(base, suf) {
				return "an archive"
			}
		}
		// A wildcard at the end of the name may match an archive.
		if strings.ContainsAny(base[len(base)-1:], "*?]") {
			return "a pattern that may match archives"
		}
	}
	return ""
}

// addOnlyFlag returns the first flag COPY does not accept (--checksum,
// --keep-git-dir, --unpack), or "".
func addOnlyFlag(in *dockerfile.Instruction) string {
	for _, f := range in.Flags {
		name, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if !copyFlags[strings.ToLower(name)] {
			return "--" + name
		}
	}
	return ""
}

// keywordEdit replaces an instruction's keyword on its first line, keeping
// the file's casing (ADD → COPY, add → copy, Add → Copy).
func keywordEdit(f *dockerfile.File, in *dockerfile.Instruction, to string) (analysis.Edit, bool) {
	line := f.Line(in.StartLine)
	rest := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(rest)]
	kw := in.Keyword
	if kw == "" || !strings.HasPrefix(rest, kw) || !strings.EqualFold(kw, string(in.Kind)) {
		return analysis.Edit{}, false
	}
	switch {
	case kw == strings.ToLower(kw):
		to = strings.ToLower(to)
	case kw != strings.ToUpper(kw):
		to = to[:1] + strings.ToLower(to[1:])
	}
	return analysis.Edit{StartLine: in.StartLine, EndLine: in.StartLine, Text: indent + to + rest[len(kw):]}, true
}
