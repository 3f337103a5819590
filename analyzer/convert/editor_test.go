package convert

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
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

func TestReplaceCommand(t *testing.T) {
	t.Parallel()
	const text = "ENTRYPOINT [\"/app\"]"
	cases := []struct{ src, want string }{
		{"FROM x\nCMD [\"a\"]\nENTRYPOINT [\"b\"]\nUSER 1\n", "FROM x\nENTRYPOINT [\"/app\"]\nUSER 1\n"},
		{"FROM x\nENTRYPOINT [\"b\"]\nUSER 1\nCMD a\n", "FROM x\nUSER 1\nENTRYPOINT [\"/app\"]\n"},
		{"FROM x\nCMD a\nUSER 1\n", "FROM x\nENTRYPOINT [\"/app\"]\nUSER 1\n"},
		{"FROM x\nUSER 1\n", "FROM x\nUSER 1\nENTRYPOINT [\"/app\"]\n"},
	}
	for _, c := range cases {
		f, err := dockerfile.Parse("Dockerfile", []byte(c.src), dockerfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st := f.Stages[len(f.Stages)-1]
		ed := NewEditor(f)
		ed.ReplaceCommand(st, st.Last(dockerfile.KindEntrypoint), st.Last(dockerfile.KindCmd), text)
		got, err := ed.Text()
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
	f, _ := dockerfile.Parse("Dockerfile", []byte("FROM x\nCMD [\"a\", \"b\"]\nENTRYPOINT a b\n"), dockerfile.Options{})
	st := f.Stages[0]
	if !IsExec(st.Last(dockerfile.KindCmd), []string{"a", "b"}) || IsExec(st.Last(dockerfile.KindCmd), []string{"a"}) ||
		IsExec(st.Last(dockerfile.KindEntrypoint), []string{"a", "b"}) || IsExec(nil, nil) {
		t.Error("IsExec: exec form with exactly the words, never shell form or nil")
	}
}
