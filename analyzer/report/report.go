// Package report renders findings for people and machines: plain text
// (`file:line: severity Rule: message`), JSON, SARIF 2.1.0 for GitHub code
// scanning, and GitHub Actions workflow annotations.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/distill-bot/distill/analyzer/analysis"
)

// Formats lists the supported output formats.
var Formats = []string{"text", "json", "sarif", "github"}

// Write renders findings in format. rules describes the rules for SARIF;
// version is distill's version.
func Write(w io.Writer, format string, findings []analysis.Finding, rules []*analysis.Rule, version string) error {
	switch format {
	case "text":
		return Text(w, findings)
	case "json":
		return JSON(w, findings)
	case "sarif":
		return SARIF(w, findings, rules, version)
	case "github":
		return GitHub(w, findings)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// Text writes one line per finding: `file:line: severity Rule: message`.
func Text(w io.Writer, findings []analysis.Finding) error {
	for _, f := range findings {
		if _, err := fmt.Fprintf(w, "%s:%d: %s %s: %s\n", f.Path, f.StartLine, f.Severity, f.Rule, f.Message); err != nil {
			return err
		}
	}
	return nil
}

// jsonFinding is the stable JSON shape of a finding.
type jsonFinding struct {
	Path      string        `json:"path"`
	StartLine int           `json:"start_line"`
	EndLine   int           `json:"end_line"`
	Rule      string        `json:"rule"`
	Severity  string        `json:"severity"`
	Category  string        `json:"category"`
	Message   string        `json:"message"`
	URL       string        `json:"url"`
	Fix       *analysis.Fix `json:"fix,omitempty"`
}

// JSON writes the findings as a JSON array (an empty array when none).
func JSON(w io.Writer, findings []analysis.Finding) error {
	out := make([]jsonFinding, 0, len(findings))
	for _, f := range findings {
		out = append(out, jsonFinding{
			Path: f.Path, StartLine: f.StartLine, EndLine: f.EndLine, Rule: f.Rule,
			Severity: f.Severity.String(), Category: string(f.Category), Message: f.Message, URL: f.URL, Fix: f.Fix,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "note"
}

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts:
// relative artifact URIs with %SRCROOT%, one reporting descriptor per rule
// used, and levels error/warning/note.
func SARIF(w io.Writer, findings []analysis.Finding, rules []*analysis.Rule, version string) error {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("distill", "https://github.com/distill-bot/distill")
	run.Tool.Driver.WithVersion(version)
	byName := map[string]*analysis.Rule{}
	for _, r := range rules {
		byName[r.Name] = r
	}
	used := map[string]bool{}
	for _, f := range findings {
		used[f.Rule] = true
	}
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d := run.AddRule(n).WithName(n)
		if r := byName[n]; r != nil {
			d.WithShortDescription(sarif.NewMultiformatMessageString(r.Summary)).
				WithFullDescription(sarif.NewMultiformatMessageString(r.Summary)).
				WithHelpURI(r.URL).
				WithHelp(sarif.NewMultiformatMessageString(r.Summary).WithMarkdown(r.Doc)).
				WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
		}
	}
	run.Results = []*sarif.Result{}
	for _, f := range findings {
		uri := filepath.ToSlash(f.Path)
		region := sarif.NewRegion().WithStartLine(f.StartLine).WithEndLine(f.EndLine)
		loc := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri).WithUriBaseId("%SRCROOT%")).
			WithRegion(region)
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)})
		res.PartialFingerprints = map[string]interface{}{"distillFinding/v1": fmt.Sprintf("%s:%s:%d", f.Rule, uri, f.StartLine)}
	}
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// GitHub writes GitHub Actions workflow commands, which the Actions runner
// turns into annotations on the PR's files.
func GitHub(w io.Writer, findings []analysis.Finding) error {
	for _, f := range findings {
		cmd := "notice"
		switch f.Severity {
		case analysis.Error:
			cmd = "error"
		case analysis.Warning:
			cmd = "warning"
		}
		if _, err := fmt.Fprintf(w, "::%s file=%s,line=%d,endLine=%d,title=%s::%s\n",
			cmd, escapeProperty(f.Path), f.StartLine, f.EndLine, escapeProperty("distill "+f.Rule), escapeData(f.Message)); err != nil {
			return err
		}
	}
	return nil
}

// escapeData and escapeProperty follow the workflow-command escaping rules.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
