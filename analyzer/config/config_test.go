package config

import (
	"errors"
	"strings"
	"testing"
)

func known(name string) bool { return name == "LatestOrMissingTag" || name == "RunsAsRoot" }

func TestParseValid(t *testing.T) {
	t.Parallel()
	c, err := Parse("distill.yml", []byte(`
mode: pr
rules:
  disable: [LatestOrMissingTag]
  severity:
    RunsAsRoot: error
fail_on: warning
images:
  debian: 12
  nonroot: false
commands:
  permission: maintain
verify: required
`), known)
	if err != nil {
		t.Fatal(err)
	}
	if c.ModeOrDefault() != "pr" || !c.RuleDisabled("LatestOrMissingTag") || c.DebianRelease() != 12 || c.NonRoot() || c.MinPermission() != "maintain" || c.VerifyOrDefault() != "required" {
		t.Fatalf("unexpected config %+v", c)
	}
}

func TestParseErrorsCarryLineAndColumn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src, msg string
		line, col      int
	}{
		{"unknown key", "mode: review\nrulez:\n  disable: []\n", "unknown field \"rulez\"", 2, 1},
		{"nested unknown key", "images:\n  debain: 12\n", "unknown field \"debain\"", 2, 3},
		{"wrong type", "images:\n  debian: thirteen\n", "", 2, 11},
		{"bad mode", "mode: always\n", "mode \"always\" is not one of", 1, 7},
		{"unknown rule", "rules:\n  disable:\n    - RunsAsRoot\n    - NoSuchRule\n", "unknown rule \"NoSuchRule\"", 4, 7},
		{"bad severity", "rules:\n  severity:\n    RunsAsRoot: fatal\n", "severity \"fatal\"", 3, 17},
		{"syntax", "mode: [review\n", "", 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("distill.yml", []byte(tc.src), known)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if ce.Line != tc.line || (tc.col != 0 && ce.Column != tc.col) {
				t.Errorf("position = %d:%d, want %d:%d (%v)", ce.Line, ce.Column, tc.line, tc.col, err)
			}
			if !strings.Contains(ce.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", ce.Message, tc.msg)
			}
		})
	}
}

func TestEmptyIsDefaults(t *testing.T) {
	t.Parallel()
	c, err := Parse("x", []byte("  \n"), known)
	if err != nil {
		t.Fatal(err)
	}
	if c.ModeOrDefault() != "review" || !c.NonRoot() || c.DebianRelease() != 13 || c.DraftsEnabled() || !c.CommandsEnabled() {
		t.Fatalf("defaults wrong: %+v", c)
	}
}
