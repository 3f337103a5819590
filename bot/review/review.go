// Package review turns the analysis of a pull request's Dockerfiles into
// exactly one GitHub review and one check run: inline comments only on
// lines of the diff, one-click ```suggestion blocks where a fix fits inside
// a hunk, the full proposal in the body, and a hidden marker with the
// fingerprints of what was reported, so that later pushes repeat nothing
// and note what was resolved. It does no I/O.
package review

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/convert"
)

// Limits from GitHub and from reviewers' patience.
const (
	// MaxInline caps inline comments per review; the rest go in the body.
	MaxInline = 30
	// MaxBody is GitHub's comment body limit.
	MaxBody = 65536
	// MaxAnnotations is GitHub's limit per check-run request.
	MaxAnnotations = 50
)

// File is one Dockerfile of the pull request.
type File struct {
	Path   string
	Status string // added, modified, renamed, …
	// Patch is the file's patch from the pull request files API; empty
	// when GitHub omitted it (binary or very large).
	Patch    string
	Content  []byte
	Findings []analyzer.Finding
	Proposal *convert.Proposal
	// Problem is set when the file could not be analysed (too large).
	Problem string
	// Verification is a one-line verdict from a verification build, if
	// any ("built ✓, starts ✓, 812 MB → 9.8 MB").
	Verification string
}

// Previous is a finding distill already reported on the pull request.
type Previous struct {
	Fingerprint string
	Path        string
	Rule        string
	Resolved    bool
}

// Input is everything a review needs.
type Input struct {
	HeadSHA  string
	Files    []File
	Previous []Previous
	// CommandsEnabled adds the `/optimize` hint.
	CommandsEnabled bool
	// FailOn is the check-run failure threshold ("" or "none": neutral).
	FailOn string
	// Verify is the repository's verification mode: "off", "on" (the
	// verdict is filled in when the build finishes) or "required"
	// (conversions are offered only once verified).
	Verify string
}

// Comment is one inline review comment (line/side style, side RIGHT).
type Comment struct {
	Path      string
	StartLine int // 0 for single-line comments
	Line      int
	Body      string
	// Fingerprints of the findings the comment reports.
	Fingerprints []string
}

// Annotation is a check-run annotation.
type Annotation struct {
	Path      string
	StartLine int
	EndLine   int
	Level     string // notice, warning, failure
	Title     string
	Message   string
}

// Fingerprint identifies a finding across pushes.
type Fingerprint struct {
	Fingerprint string
	Path        string
	Rule        string
}

// Output is the review and the check run.
type Output struct {
	Body     string
	Comments []Comment
	// Current are the fingerprints of every finding at this head.
	Current []Fingerprint
	// Resolved are previously reported findings no longer present.
	Resolved []Previous
	// Check run.
	Title       string
	Summary     string
	Conclusion  string
	Annotations []Annotation
	// HasContent is false when there is nothing worth a review (no
	// findings, no proposal, nothing resolved).
	HasContent bool
}

// FingerprintOf hashes rule, path and the finding's first line with
// whitespace normalised, so the same finding keeps its identity when lines
// move.
func FingerprintOf(f analyzer.Finding, content []byte) string {
	line := ""
	lines := strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n")
	if f.StartLine >= 1 && f.StartLine <= len(lines) {
		line = strings.Join(strings.Fields(lines[f.StartLine-1]), " ")
	}
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Path + "\x00" + line))
	return hex.EncodeToString(sum[:8])
}

// Build assembles the review and the check run.
func Build(in Input) Output {
	var out Output
	prev := map[string]Previous{}
	for _, p := range in.Previous {
		prev[p.Fingerprint] = p
	}
	present := map[string]bool{}
	var body strings.Builder
	type bodyRow struct {
		file analyzer.Finding
		fp   string
		note string
	}
	var rows []bodyRow
	var proposals []File
	for _, f := range in.Files {
		hunks, _ := ParseHunks(f.Path, f.Patch)
		used := map[int]bool{} // lines already carrying a suggestion
		var fileComments []Comment
		fullSuggestion := false
		// A newly added Dockerfile can take the whole conversion as one
		// suggestion.
		if f.Proposal != nil && f.Proposal.Status == convert.Converted && f.Status == "added" && in.Verify != "required" {
			n := lineCount(f.Content)
			if n > 0 && hunkFor(hunks, 1, n) >= 0 {
				c := Comment{Path: f.Path, StartLine: 1, Line: n,
					Body: proposalCommentBody(f, string(f.Proposal.Dockerfile))}
				if n == 1 {
					c.StartLine = 0
				}
				fileComments = append(fileComments, c)
				for l := 1; l <= n; l++ {
					used[l] = true
				}
				fullSuggestion = true
			}
		}
		if f.Proposal != nil && f.Proposal.Status != convert.Unchanged {
			proposals = append(proposals, f)
		}
		for _, fd := range f.Findings {
			fp := FingerprintOf(fd, f.Content)
			present[fp] = true
			out.Current = append(out.Current, Fingerprint{Fingerprint: fp, Path: f.Path, Rule: fd.Rule})
			out.Annotations = append(out.Annotations, Annotation{Path: f.Path, StartLine: fd.StartLine, EndLine: fd.EndLine,
				Level: level(fd.Severity), Title: fd.Rule, Message: fd.Message})
			old, seen := prev[fp]
			row := bodyRow{file: fd, fp: fp}
			switch {
			case seen && !old.Resolved:
				row.note = "already reported"
				rows = append(rows, row)
				continue
			case fullSuggestion:
				row.note = "see the suggested conversion"
				rows = append(rows, row)
				continue
			}
			c, ok := findingComment(f, fd, hunks, used)
			if !ok {
				rows = append(rows, row)
				continue
			}
			c.Fingerprints = []string{fp}
			fileComments = append(fileComments, c)
		}
		out.Comments = append(out.Comments, fileComments...)
	}
	// Cap inline comments; overflow goes to the body table.
	if len(out.Comments) > MaxInline {
		for _, c := range out.Comments[MaxInline:] {
			for _, fp := range c.Fingerprints {
				for _, cur := range out.Current {
					if cur.Fingerprint == fp {
						rows = append(rows, bodyRow{file: findFinding(in.Files, cur), fp: fp, note: "inline comment limit reached"})
					}
				}
			}
		}
		out.Comments = out.Comments[:MaxInline]
	}
	for _, p := range in.Previous {
		if !p.Resolved && !present[p.Fingerprint] {
			out.Resolved = append(out.Resolved, p)
		}
	}
	total := len(out.Current)
	out.HasContent = total > 0 || len(proposals) > 0 || len(out.Resolved) > 0

	short := in.HeadSHA
	if len(short) > 7 {
		short = short[:7]
	}
	fmt.Fprintf(&body, "## distill review of %s\n\n", short)
	fmt.Fprintf(&body, "%s\n", summaryLine(in.Files, total))
	if len(rows) > 0 {
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].file.Path != rows[j].file.Path {
				return rows[i].file.Path < rows[j].file.Path
			}
			return rows[i].file.StartLine < rows[j].file.StartLine
		})
		body.WriteString("\n| File | Line | Severity | Rule | Finding |\n|---|---|---|---|---|\n")
		for _, r := range rows {
			msg := r.file.Message
			if r.note != "" {
				msg += " _(" + r.note + ")_"
			}
			fmt.Fprintf(&body, "| `%s` | %d | %s | [%s](%s) | %s |\n", r.file.Path, r.file.StartLine, r.file.Severity, r.file.Rule, r.file.URL, cell(msg))
		}
	}
	for _, f := range in.Files {
		if f.Problem != "" {
			fmt.Fprintf(&body, "\n**`%s`** was not analysed: %s\n", f.Path, f.Problem)
		}
	}
	for _, f := range proposals {
		body.WriteString(sectionFor(f, in.Verify))
	}
	if len(out.Resolved) > 0 {
		body.WriteString("\n**Resolved since the last review:**\n")
		for _, r := range out.Resolved {
			fmt.Fprintf(&body, "- ~~%s in `%s`~~\n", r.Rule, r.Path)
		}
	}
	if in.CommandsEnabled && hasConversion(proposals) {
		if in.Verify == "required" {
			body.WriteString("\nOnce a conversion is verified, comment `/optimize` to get it as a pull request.\n")
		} else {
			body.WriteString("\nComment `/optimize` to get the conversion as a pull request.\n")
		}
	}
	out.Body = fitBody(body.String(), marker(in.HeadSHA, out.Current))

	out.Title, out.Summary, out.Conclusion = checkSummary(in, total, proposals)
	return out
}

func findFinding(files []File, fp Fingerprint) analyzer.Finding {
	for _, f := range files {
		for _, fd := range f.Findings {
			if f.Path == fp.Path && fd.Rule == fp.Rule && FingerprintOf(fd, f.Content) == fp.Fingerprint {
				return fd
			}
		}
	}
	return analyzer.Finding{Path: fp.Path, Rule: fp.Rule}
}

func hasConversion(ps []File) bool {
	for _, p := range ps {
		if p.Proposal.Status == convert.Converted {
			return true
		}
	}
	return false
}

func level(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "failure"
	case analysis.Warning:
		return "warning"
	}
	return "notice"
}

func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func lineCount(b []byte) int {
	s := strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

func summaryLine(files []File, total int) string {
	if total == 0 {
		return fmt.Sprintf("No findings in %d Dockerfile(s).", len(files))
	}
	return fmt.Sprintf("%d finding(s) in %d Dockerfile(s).", total, len(files))
}

// findingComment places a finding inline: a suggestion when its fix lies
// inside one hunk and no other suggestion uses those lines, a plain comment
// when its line is in the diff, nothing otherwise.
func findingComment(f File, fd analyzer.Finding, hunks []Hunk, used map[int]bool) (Comment, bool) {
	head := fmt.Sprintf("**%s** (%s): %s\n\n[%s](%s)", fd.Rule, fd.Severity, fd.Message, fd.Rule, fd.URL)
	if fd.Fix != nil {
		if start, end, text, ok := suggestionRange(f.Content, fd.Fix.Edits); ok && hunkFor(hunks, start, end) >= 0 && !anyUsed(used, start, end) {
			c := Comment{Path: f.Path, Line: end, Body: head + "\n\n" + fd.Fix.Message + ":\n" + suggestionBlock(text)}
			if start != end {
				c.StartLine = start
			}
			for l := start; l <= end; l++ {
				used[l] = true
			}
			return c, true
		}
	}
	if hunkFor(hunks, fd.StartLine, fd.StartLine) >= 0 {
		return Comment{Path: f.Path, Line: fd.StartLine, Body: head}, true
	}
	return Comment{}, false
}

func anyUsed(used map[int]bool, start, end int) bool {
	for l := start; l <= end; l++ {
		if used[l] {
			return true
		}
	}
	return false
}

// suggestionRange turns edits into one replacement of whole lines
// start..end: insertions are anchored on the line before them (or after,
// at the top of the file), since a suggestion must replace existing lines.
func suggestionRange(content []byte, edits []analysis.Edit) (int, int, string, bool) {
	if len(edits) == 0 {
		return 0, 0, "", false
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n"), "\n")
	start, end := len(lines)+1, 0
	for _, e := range edits {
		s, en := e.StartLine, e.EndLine
		if en < s { // insertion before s
			if s > 1 {
				s = s - 1
				en = s
			} else {
				en = s
			}
		}
		if s < start {
			start = s
		}
		if en > end {
			end = en
		}
	}
	if start < 1 || end > len(lines) || start > end {
		return 0, 0, "", false
	}
	applied, err := analysis.ApplyEdits(lines, edits)
	if err != nil {
		return 0, 0, "", false
	}
	// The replacement is the new text between the unchanged prefix and
	// suffix around start..end.
	prefix := start - 1
	suffix := len(lines) - end
	if prefix+suffix > len(applied) {
		return 0, 0, "", false
	}
	newLines := applied[prefix : len(applied)-suffix]
	return start, end, strings.Join(newLines, "\n"), true
}

// suggestionBlock fences text so that backticks inside it cannot close the
// block early.
func suggestionBlock(text string) string {
	fence := fenceFor(text)
	return fence + "suggestion\n" + text + "\n" + fence
}

func fenceFor(text string) string {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	n := 3
	if longest >= n {
		n = longest + 1
	}
	return strings.Repeat("`", n)
}

func proposalCommentBody(f File, dockerfile string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**distill: multi-stage build with a distroless final image** (`%s`, %s)\n\n", f.Proposal.FinalImage, f.Proposal.Recipe)
	for _, n := range f.Proposal.Notes {
		fmt.Fprintf(&b, "- %s: %s\n", n.Kind, n.Text)
	}
	b.WriteString("\n" + suggestionBlock(strings.TrimSuffix(strings.ReplaceAll(dockerfile, "\r\n", "\n"), "\n")))
	return b.String()
}

// sectionFor renders a file's proposal for the verification mode: with
// "on" the verdict is a marked placeholder the verification job fills in;
// with "required" the whole conversion waits behind a placeholder.
func sectionFor(f File, mode string) string {
	if f.Proposal.Status != convert.Converted {
		return ProposalSection(f)
	}
	switch mode {
	case "on":
		if f.Verification == "" {
			f.Verification = PendingVerification
		}
		return ProposalSection(f)
	case "required":
		return fmt.Sprintf("\n### `%s` → `%s`\n\n%s\n", f.Path, f.Proposal.FinalImage,
			Placeholder("pending", f.Path, "_distill is building the original and the conversion with BuildKit; the proposal appears here once it builds and passes inspection._"))
	}
	return ProposalSection(f)
}

// PendingVerification is the verdict shown while a build runs.
const PendingVerification = "_pending — distill is building the original and the proposal with BuildKit_"

// Placeholder wraps text in markers the verification job can find and
// replace: <!-- distill:<kind> path="…" -->text<!-- /distill:<kind> -->.
func Placeholder(kind, path, text string) string {
	return fmt.Sprintf("<!-- distill:%s path=%q -->%s<!-- /distill:%s -->", kind, path, text, kind)
}

// FillPlaceholder replaces the text of a placeholder; ok is false when the
// body has none for that path.
func FillPlaceholder(body, kind, path, text string) (string, bool) {
	open := fmt.Sprintf("<!-- distill:%s path=%q -->", kind, path)
	closeTag := fmt.Sprintf("<!-- /distill:%s -->", kind)
	i := strings.Index(body, open)
	if i < 0 {
		return body, false
	}
	j := strings.Index(body[i:], closeTag)
	if j < 0 {
		return body, false
	}
	return body[:i] + open + text + body[i+j:], true
}

// ProposalSection renders a file's conversion (or decline) for review and
// pull request bodies.
func ProposalSection(f File) string {
	var b strings.Builder
	p := f.Proposal
	switch p.Status {
	case convert.Declined:
		fmt.Fprintf(&b, "\n### `%s`: no distroless conversion\n\n%s\n", f.Path, p.Decline.Reason)
		for _, a := range p.Decline.Alternatives {
			fmt.Fprintf(&b, "- Instead: %s\n", a)
		}
		return b.String()
	case convert.Converted:
	default:
		return ""
	}
	fmt.Fprintf(&b, "\n### `%s` → `%s`\n\n", f.Path, p.FinalImage)
	if f.Verification != "" {
		fmt.Fprintf(&b, "Verification: %s\n\n", Placeholder("verification", f.Path, f.Verification))
	}
	for _, g := range convert.GroupNotes(p.Notes) {
		fmt.Fprintf(&b, "**%s**\n", g.Title)
		for _, it := range g.Items {
			fmt.Fprintf(&b, "- %s\n", it)
		}
		b.WriteString("\n")
	}
	df := strings.ReplaceAll(string(p.Dockerfile), "\r\n", "\n")
	fence := fenceFor(df)
	fmt.Fprintf(&b, "<details><summary>Proposed <code>%s</code></summary>\n\n%sdockerfile\n%s%s\n\n</details>\n", f.Path, fence, df, fence)
	diff := convert.UnifiedDiff(f.Path, f.Content, p.Dockerfile)
	dfence := fenceFor(diff)
	fmt.Fprintf(&b, "<details><summary>Diff</summary>\n\n%sdiff\n%s%s\n\n</details>\n", dfence, diff, dfence)
	return b.String()
}

// marker is the hidden fingerprint line every body ends with.
func marker(head string, fps []Fingerprint) string {
	ids := make([]string, 0, len(fps))
	for _, f := range fps {
		ids = append(ids, f.Fingerprint)
	}
	sort.Strings(ids)
	return fmt.Sprintf("\n<!-- distill:review head=%s fingerprints=%s -->\n", head, strings.Join(ids, ","))
}

// Marker returns the head a body's marker names, if any.
func Marker(body string) (head string, ok bool) {
	i := strings.LastIndex(body, "<!-- distill:review head=")
	if i < 0 {
		return "", false
	}
	rest := body[i+len("<!-- distill:review head="):]
	head, _, _ = strings.Cut(rest, " ")
	return head, head != ""
}

// fitBody keeps the body within GitHub's limit, cutting the proposal
// details first and always keeping the marker.
func fitBody(body, mark string) string {
	if len(body)+len(mark) <= MaxBody {
		return body + mark
	}
	note := "\n\n_(The rest of this review was cut: GitHub limits a review to 65,536 characters. Comment `/optimize` to get the full proposal as a pull request.)_\n"
	cut := MaxBody - len(mark) - len(note)
	for cut > 0 && !isRuneStart(body[cut]) {
		cut--
	}
	// Do not leave an open <details> or code fence behind.
	trimmed := body[:cut]
	if i := strings.LastIndex(trimmed, "\n### "); i > 0 {
		trimmed = trimmed[:i]
	}
	return trimmed + note + mark
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// checkSummary renders the check run's title, summary and conclusion.
func checkSummary(in Input, total int, proposals []File) (string, string, string) {
	counts := map[analysis.Severity]int{}
	var all []analyzer.Finding
	for _, f := range in.Files {
		for _, fd := range f.Findings {
			counts[fd.Severity]++
			all = append(all, fd)
		}
	}
	title := "No findings"
	if total > 0 {
		title = fmt.Sprintf("%d finding(s): %d error, %d warning, %d info", total, counts[analysis.Error], counts[analysis.Warning], counts[analysis.Info])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "distill analysed %d Dockerfile(s) at %s.\n\n", len(in.Files), in.HeadSHA)
	for _, f := range proposals {
		switch f.Proposal.Status {
		case convert.Converted:
			fmt.Fprintf(&b, "- `%s`: conversion proposed → `%s`\n", f.Path, f.Proposal.FinalImage)
		case convert.Declined:
			fmt.Fprintf(&b, "- `%s`: not convertible — %s\n", f.Path, f.Proposal.Decline.Reason)
		}
	}
	conclusion := "success"
	if total > 0 {
		conclusion = "neutral"
	}
	if in.FailOn != "" && in.FailOn != "none" {
		if fail, _ := analyzer.AtLeast(all, in.FailOn); fail {
			conclusion = "failure"
		}
	}
	summary := b.String()
	if len(summary) > 65535 {
		summary = summary[:65000] + "\n…"
	}
	return title, summary, conclusion
}
