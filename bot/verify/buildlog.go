package verify

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

// buildLog turns BuildKit's status stream into the last lines of a plain
// build log, numbered per step like `buildctl --progress=plain`:
//
//	#4 [build 3/4] RUN go build -o /out/app .
//	#4 0.412 main.go:3:8: package fmt2 is not in std
//	#4 ERROR: process "/bin/sh -c go build -o /out/app ." did not complete successfully: exit code: 1
//
// Lines are sanitised (no terminal escapes or control characters, bounded
// length) because they end up in GitHub comments. Only the tail is kept:
// the end of a failed build is where the error is.
type buildLog struct {
	max     int
	lines   []string // ring buffer contents in order, at most max
	ids     map[digest.Digest]int
	started map[digest.Digest]bool
	errored map[digest.Digest]bool
	partial map[digest.Digest]string
	next    int
}

const (
	maxLogLine    = 400
	maxPartialLog = 64 << 10
)

func newBuildLog(max int) *buildLog {
	return &buildLog{
		max:     max,
		ids:     map[digest.Digest]int{},
		started: map[digest.Digest]bool{},
		errored: map[digest.Digest]bool{},
		partial: map[digest.Digest]string{},
	}
}

func (b *buildLog) id(d digest.Digest) int {
	if n, ok := b.ids[d]; ok {
		return n
	}
	b.next++
	b.ids[d] = b.next
	return b.next
}

func (b *buildLog) emit(line string) {
	if b.max <= 0 {
		return
	}
	b.lines = append(b.lines, line)
	if len(b.lines) > b.max {
		b.lines = append(b.lines[:0:0], b.lines[len(b.lines)-b.max:]...)
	}
}

func (b *buildLog) add(s *client.SolveStatus) {
	for _, v := range s.Vertexes {
		if v == nil {
			continue
		}
		if v.Started != nil && !b.started[v.Digest] {
			b.started[v.Digest] = true
			b.emit(fmt.Sprintf("#%d %s", b.id(v.Digest), sanitizeLogLine(v.Name)))
		}
		if v.Error != "" && !b.errored[v.Digest] {
			b.errored[v.Digest] = true
			b.flush(v.Digest)
			b.emit(fmt.Sprintf("#%d ERROR: %s", b.id(v.Digest), sanitizeLogLine(v.Error)))
		}
		if v.Completed != nil {
			b.flush(v.Digest)
		}
	}
	for _, l := range s.Logs {
		if l == nil {
			continue
		}
		b.id(l.Vertex) // number vertices in the order their output arrives
		text := b.partial[l.Vertex] + string(l.Data)
		lines := strings.Split(text, "\n")
		for _, line := range lines[:len(lines)-1] {
			b.emit(fmt.Sprintf("#%d %s", b.id(l.Vertex), sanitizeLogLine(line)))
		}
		rest := lines[len(lines)-1]
		if len(rest) > maxPartialLog {
			b.emit(fmt.Sprintf("#%d %s", b.id(l.Vertex), sanitizeLogLine(rest)))
			rest = ""
		}
		b.partial[l.Vertex] = rest
	}
	for _, w := range s.Warnings {
		if w == nil {
			continue
		}
		b.emit("WARNING: " + sanitizeLogLine(string(w.Short)))
	}
}

// flush emits a vertex's unterminated last line.
func (b *buildLog) flush(d digest.Digest) {
	if rest := b.partial[d]; rest != "" {
		b.emit(fmt.Sprintf("#%d %s", b.id(d), sanitizeLogLine(rest)))
		delete(b.partial, d)
	}
}

// tail returns the kept lines, flushing unterminated ones first.
func (b *buildLog) tail() []string {
	pending := make([]digest.Digest, 0, len(b.partial))
	for d := range b.partial {
		pending = append(pending, d)
	}
	sort.Slice(pending, func(i, j int) bool { return b.ids[pending[i]] < b.ids[pending[j]] })
	for _, d := range pending {
		b.flush(d)
	}
	return append([]string(nil), b.lines...)
}

// sanitizeLogLine keeps what a terminal would finally show of a line
// (the text after the last carriage return), drops ANSI escape sequences
// and other control characters, and bounds the length.
func sanitizeLogLine(s string) string {
	if i := strings.LastIndexByte(strings.TrimRight(s, "\r"), '\r'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimRight(s, "\r")
	var out strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b { // ESC: skip a CSI/OSC sequence or a two-byte escape
			i = skipEscape(s, i)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			out.WriteRune('\uFFFD')
		case r == '\t':
			out.WriteRune(' ')
		case unicode.IsControl(r):
		default:
			out.WriteRune(r)
		}
		if out.Len() > maxLogLine {
			return strings.TrimSpace(truncateRunes(out.String(), maxLogLine)) + "…"
		}
	}
	return strings.TrimRight(out.String(), " ")
}

func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return len(s)
	}
	switch s[i+1] {
	case '[': // CSI: parameters, then a final byte in 0x40–0x7e
		for j := i + 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	case ']': // OSC: until BEL or ESC \
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	}
	return i + 2
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
