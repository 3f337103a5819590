package convert

import (
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Editor collects line edits against the original Dockerfile, so that a
// conversion touches only what it must and the user's own lines stay as
// written.
type Editor struct {
	lines []string
	edits []analysis.Edit
}

// NewEditor starts editing a file.
func NewEditor(f *dockerfile.File) *Editor {
	return &Editor{lines: append([]string(nil), f.Lines...)}
}

// Replace replaces an instruction's lines with text.
func (e *Editor) Replace(in *dockerfile.Instruction, text string) {
	e.ReplaceLines(in.StartLine, in.EndLine, text)
}

// ReplaceLines replaces lines start..end (inclusive) with text.
func (e *Editor) ReplaceLines(start, end int, text string) {
	e.edits = append(e.edits, analysis.Edit{StartLine: start, EndLine: end, Text: text})
}

// Delete removes an instruction, and the comment lines directly above it
// when they belong to it alone (a comment block followed by a blank line
// or another instruction is kept).
func (e *Editor) Delete(in *dockerfile.Instruction) {
	e.edits = append(e.edits, analysis.Edit{StartLine: in.StartLine, EndLine: in.EndLine, Delete: true})
}

// InsertBefore inserts text before a line.
func (e *Editor) InsertBefore(line int, text string) {
	e.edits = append(e.edits, analysis.Edit{StartLine: line, EndLine: line - 1, Text: text})
}

// InsertAfter inserts text after an instruction.
func (e *Editor) InsertAfter(in *dockerfile.Instruction, text string) {
	e.InsertBefore(in.EndLine+1, text)
}

// ReplaceCommand puts text (the new ENTRYPOINT/CMD lines) where the
// stage's command is: in place of the later of entrypoint and cmd (either
// may be nil), deleting the other, or after the stage's last instruction
// when it has neither.
func (e *Editor) ReplaceCommand(stage *dockerfile.Stage, entrypoint, cmd *dockerfile.Instruction, text string) {
	last, other := entrypoint, cmd
	if last == nil || (other != nil && other.StartLine > last.StartLine) {
		last, other = other, last
	}
	switch {
	case last != nil:
		e.Replace(last, text)
	case len(stage.Instructions) > 0:
		e.InsertAfter(stage.Instructions[len(stage.Instructions)-1], text)
	default:
		e.Append(text)
	}
	if other != nil {
		e.Delete(other)
	}
}

// IsExec reports whether ins is in exec form with exactly these words.
func IsExec(ins *dockerfile.Instruction, words []string) bool {
	return ins != nil && !ins.Exec.Shell && slices.Equal(ins.Exec.Args, words)
}

// Append adds text at the end of the file.
func (e *Editor) Append(text string) {
	e.InsertBefore(len(e.lines)+1, text)
}

// Text applies the edits and returns the new file with a trailing newline.
func (e *Editor) Text() (string, error) {
	out, err := analysis.ApplyEdits(e.lines, e.edits)
	if err != nil {
		return "", err
	}
	return strings.Join(out, "\n") + "\n", nil
}

// LineEdits returns the minimal line edits that turn before into after,
// for review suggestions. Both texts may use \n or \r\n.
func LineEdits(before, after string) []analysis.Edit {
	before = strings.ReplaceAll(before, "\r\n", "\n")
	after = strings.ReplaceAll(after, "\r\n", "\n")
	if !strings.HasSuffix(before, "\n") {
		before += "\n"
	}
	if !strings.HasSuffix(after, "\n") {
		after += "\n"
	}
	var out []analysis.Edit
	for _, d := range udiff.Lines(before, after) {
		start := strings.Count(before[:d.Start], "\n") + 1
		end := strings.Count(before[:d.End], "\n") // last replaced line
		text := strings.TrimSuffix(d.New, "\n")
		e := analysis.Edit{StartLine: start, EndLine: end, Text: text}
		if d.New == "" {
			e.Delete = true
		}
		out = append(out, e)
	}
	return out
}

// UnifiedDiff renders a unified diff for `distill fix`.
func UnifiedDiff(path string, before, after []byte) string {
	return udiff.Unified("a/"+path, "b/"+path, string(before), string(after))
}
