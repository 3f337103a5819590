// Package onboard renders the "distill report" issue distill opens when it
// is installed on a repository with Dockerfiles, and reads it back: a
// checkbox per convertible Dockerfile, whose ticking (an `issues` `edited`
// event) asks for that file's follow-up pull request. It does no I/O.
package onboard

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/followup"
)

// Title is the report issue's title.
const Title = "distill report"

// MaxListed caps the checklist; larger repositories get a pointer to
// `distill check`.
const MaxListed = 200

// File is one Dockerfile of the default branch and its analysis.
type File struct {
	Path     string
	Original []byte
	Findings []analyzer.Finding
	// Proposal is nil when the file could not be converted at all.
	Proposal *convert.Proposal
	// Problem is set when the file could not be analysed.
	Problem string
}

// Convertible reports whether the file gets a checkbox.
func (f File) Convertible() bool {
	return f.Proposal != nil && f.Proposal.Status == convert.Converted
}

// Report is one scan of a repository's default branch.
type Report struct {
	Repo   string // owner/name
	Branch string
	SHA    string
	Files  []File
}

// State is what happened to a file's checkbox.
type State struct {
	Checked bool
	Pull    int
}

// Render writes the report's issue body with every box unticked; Apply
// adds the ticks and pull request links.
func Render(r Report) string {
	files := append([]File(nil), r.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	from := map[string]string{} // original final images, parsed once
	for _, f := range files {
		if f.Convertible() {
			from[f.Path] = followup.OriginalImage(asFollowup(f))
		}
	}
	for _, lvl := range []level{full, noDiffs, fewFindings, listOnly} {
		if b := render(r, files, from, lvl); len(b) <= followup.MaxBody-2000 {
			return b
		}
	}
	return render(r, files[:min(len(files), 50)], from, listOnly)
}

type level int

const (
	full level = iota
	noDiffs
	fewFindings
	listOnly
)

func render(r Report, files []File, from map[string]string, lvl level) string {
	var b strings.Builder
	b.WriteString("## distill report\n\n")
	n := len(files)
	if n == 0 {
		fmt.Fprintf(&b, "distill scanned `%s` of %s at `%s` and found no Dockerfiles any more.\n", r.Branch, r.Repo, short(r.SHA))
	} else {
		fmt.Fprintf(&b, "distill scanned `%s` of %s at `%s` and found %s. For each one below: its findings, the multi-stage build with a Google distroless final image that distill proposes, and the expected effect on the shipped image.\n\n",
			r.Branch, r.Repo, short(r.SHA), plural(n, "Dockerfile"))
	}
	var conv, other []File
	for _, f := range files {
		if f.Convertible() {
			conv = append(conv, f)
		} else {
			other = append(other, f)
		}
	}
	if len(conv) > 0 {
		b.WriteString("**Tick a box to get that Dockerfile's conversion as a pull request.**\n\n")
		for i, f := range conv {
			if i == MaxListed {
				fmt.Fprintf(&b, "\n…and %d more; run `distill check` and `distill fix` in a checkout for the rest.\n", len(conv)-MaxListed)
				break
			}
			fmt.Fprintf(&b, "- [ ] `%s` — %s · `%s` → `%s` %s\n", f.Path, findingCount(f.Findings), from[f.Path], f.Proposal.FinalImage, fileMarker(f.Path))
		}
	}
	if len(other) > 0 {
		b.WriteString("\nNothing to convert:\n\n")
		for i, f := range other {
			if i == MaxListed {
				fmt.Fprintf(&b, "- …and %d more\n", len(other)-MaxListed)
				break
			}
			fmt.Fprintf(&b, "- `%s` — %s · %s\n", f.Path, findingCount(f.Findings), whyNot(f))
		}
	}
	if lvl != listOnly {
		for _, f := range files {
			fileSection(&b, f, from[f.Path], lvl)
		}
	} else {
		b.WriteString("\n_The details did not fit in an issue; run `distill check` and `distill fix` in a checkout to see them._\n")
	}
	b.WriteString("\n---\n\ndistill updates this report when the default branch changes. Comment `/optimize` here to convert every Dockerfile in one pull request. Turn reports off with `onboarding: off` in `.github/distill.yml`.\n")
	fmt.Fprintf(&b, "\n<!-- distill:report sha=%s -->\n", r.SHA)
	return b.String()
}

func fileSection(b *strings.Builder, f File, from string, lvl level) {
	fmt.Fprintf(b, "\n### `%s`\n\n", f.Path)
	if f.Problem != "" {
		fmt.Fprintf(b, "Not analysed: %s\n", f.Problem)
		return
	}
	if len(f.Findings) == 0 {
		b.WriteString("No findings.\n")
	} else {
		b.WriteString("| Line | Severity | Rule | Finding |\n|---|---|---|---|\n")
		for i, fd := range f.Findings {
			if lvl >= fewFindings && i == 5 {
				fmt.Fprintf(b, "| | | | …and %d more |\n", len(f.Findings)-5)
				break
			}
			fmt.Fprintf(b, "| %d | %s | [%s](%s) | %s |\n", fd.StartLine, fd.Severity, fd.Rule, fd.URL, cell(fd.Message))
		}
	}
	if !f.Convertible() {
		fmt.Fprintf(b, "\n**Proposed change:** none — %s\n", whyNot(f))
		if f.Proposal != nil && f.Proposal.Decline != nil {
			for _, a := range f.Proposal.Decline.Alternatives {
				fmt.Fprintf(b, "- Instead: %s\n", a)
			}
		}
		return
	}
	p := f.Proposal
	fmt.Fprintf(b, "\n**Proposed change:** a multi-stage build whose final image is `%s` (%s recipe).\n", p.FinalImage, p.Recipe)
	fmt.Fprintf(b, "\n**Expected effect:** %s\n", followup.ImageChange(from, p.FinalImage))
	followup.WriteNotes(b, p.Notes)
	if lvl == full {
		diff := convert.UnifiedDiff(f.Path, f.Original, p.Dockerfile)
		fence := followup.Fence(diff)
		if !strings.HasSuffix(diff, "\n") {
			diff += "\n"
		}
		fmt.Fprintf(b, "\n<details><summary>Diff</summary>\n\n%sdiff\n%s%s\n\n</details>\n", fence, diff, fence)
	}
}

func asFollowup(f File) followup.File {
	return followup.File{Path: f.Path, Original: f.Original, Proposal: f.Proposal}
}

func whyNot(f File) string {
	switch {
	case f.Problem != "":
		return "not analysed: " + f.Problem
	case f.Proposal == nil:
		return "distill could not convert it"
	case f.Proposal.Status == convert.Unchanged:
		return "already a multi-stage build with a distroless final image"
	case f.Proposal.Decline != nil:
		return "no safe conversion: " + f.Proposal.Decline.Reason
	}
	return "no conversion"
}

func findingCount(fs []analyzer.Finding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	counts := map[analysis.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range []analysis.Severity{analysis.Error, analysis.Warning, analysis.Info} {
		if counts[s] > 0 {
			parts = append(parts, plural(counts[s], s.String()))
		}
	}
	return fmt.Sprintf("%s (%s)", plural(len(fs), "finding"), strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func cell(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// fileMarker is the hidden tag that names a checkbox's file.
func fileMarker(p string) string { return "<!-- distill:file " + strconv.Quote(p) + " -->" }

var (
	boxLine   = regexp.MustCompile(`^(\s*[-*] \[)([ xX])(\] .*?)\s*(<!-- distill:file (".*?") -->)\s*$`)
	reportTag = regexp.MustCompile(`<!-- distill:report sha=([0-9a-f]*) -->`)
)

// IsReport reports whether an issue body is a distill report.
func IsReport(body string) bool { return reportTag.MatchString(body) }

// Checked returns the files whose boxes are ticked in a body.
func Checked(body string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		m := boxLine.FindStringSubmatch(l)
		if m == nil || m[2] == " " {
			continue
		}
		if p, err := strconv.Unquote(m[5]); err == nil {
			out[p] = true
		}
	}
	return out
}

// Boxes returns the files that have a checkbox in a body.
func Boxes(body string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if m := boxLine.FindStringSubmatch(l); m != nil {
			if p, err := strconv.Unquote(m[5]); err == nil {
				out = append(out, p)
			}
		}
	}
	return out
}

// Apply ticks the boxes of checked files and links the pull requests
// opened for them.
func Apply(body string, state map[string]State) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		m := boxLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		p, err := strconv.Unquote(m[5])
		if err != nil {
			continue
		}
		st := state[p]
		tick := " "
		if st.Checked || st.Pull > 0 {
			tick = "x"
		}
		text := m[3]
		if st.Pull > 0 {
			text += fmt.Sprintf(" · pull request #%d", st.Pull)
		}
		lines[i] = m[1] + tick + text + " " + m[4]
	}
	return strings.Join(lines, "\n")
}

// Branch is the follow-up branch of one file of report issue number.
func Branch(issue int, p string) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_':
			return r
		}
		return '-'
	}, p)
	slug = strings.Trim(strings.ReplaceAll(slug, "..", "-"), "-.")
	if len(slug) > 60 {
		slug = strings.Trim(slug[len(slug)-60:], "-.")
	}
	// The hash keeps paths that slug alike ("a/b", "a-b") apart.
	sum := sha256.Sum256([]byte(p))
	return fmt.Sprintf("distill/report-%d-%s-%x", issue, strings.ToLower(slug), sum[:3])
}
