package convert

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/analysis"
)

func TestLineEditsRoundTrip(t *testing.T) {
	t.Parallel()
	cases := [][2]string{
		{"a\nb\nc\n", "a\nB\nc\n"},
		{"a\nb\nc\n", "a\nb\nc\nd\ne\n"},
		{"a\nb\nc\n", "x\na\nc\n"},
		{"a\nb\nc", "a\nc\n"},
		{"FROM x\nRUN y\nCMD z\n", "FROM x AS build\nRUN y\nFROM d\nCMD [\"z\"]\n"},
		{"a\r\nb\r\n", "a\r\nc\r\n"},
	}
	for _, c := range cases {
		edits := LineEdits(c[0], c[1])
		lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(c[0], "\r\n", "\n"), "\n"), "\n")
		got, err := analysis.ApplyEdits(lines, edits)
		if err != nil {
			t.Fatalf("%q: %v", c[0], err)
		}
		want := strings.TrimSuffix(strings.ReplaceAll(c[1], "\r\n", "\n"), "\n")
		if strings.Join(got, "\n") != want {
			t.Errorf("%q → %q: edits %+v give %q", c[0], c[1], edits, strings.Join(got, "\n"))
		}
	}
}
