package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

func TestBuildLogTail(t *testing.T) {
	t.Parallel()
	now := time.Now()
	from := digest.FromString("from")
	run := digest.FromString("run")
	l := newBuildLog(4)
	l.add(&client.SolveStatus{Vertexes: []*client.Vertex{{Digest: from, Name: "[internal] load metadata for docker.io/library/golang:1.26", Started: &now}}})
	l.add(&client.SolveStatus{
		Vertexes: []*client.Vertex{{Digest: run, Name: "[build 3/4] RUN go build -o /out/app .", Started: &now}},
		Logs: []*client.VertexLog{
			{Vertex: run, Data: []byte("go: downloading example.com/x v1.0.0\nmain.go:3:8: package fmt2 is not in std\n\x1b[31mred\x1b[0m and a bell\a")},
		},
	})
	l.add(&client.SolveStatus{
		Logs: []*client.VertexLog{{Vertex: run, Data: []byte(" continued\r\nprogress 10%\rprogress 100%\n")}},
	})
	l.add(&client.SolveStatus{
		Vertexes: []*client.Vertex{{Digest: run, Name: "[build 3/4] RUN go build -o /out/app .", Started: &now, Completed: &now,
			Error: "process \"/bin/sh -c go build -o /out/app .\" did not complete successfully: exit code: 1"}},
		Warnings: []*client.VertexWarning{{Vertex: run, Short: []byte("FromAsCasing: 'as' and 'FROM' keywords' casing do not match")}},
	})
	want := []string{
		"#2 red and a bell continued",
		"#2 progress 100%",
		"#2 ERROR: process \"/bin/sh -c go build -o /out/app .\" did not complete successfully: exit code: 1",
		"WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match",
	}
	if diff := cmp.Diff(want, l.tail()); diff != "" {
		t.Errorf("tail (-want +got):\n%s", diff)
	}
}

func TestBuildLogFlushesUnterminatedLines(t *testing.T) {
	t.Parallel()
	a, b := digest.FromString("a"), digest.FromString("b")
	l := newBuildLog(10)
	l.add(&client.SolveStatus{Logs: []*client.VertexLog{{Vertex: b, Data: []byte("first")}, {Vertex: a, Data: []byte("second")}}})
	want := []string{"#1 first", "#2 second"}
	if diff := cmp.Diff(want, l.tail()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSanitizeLogLine(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"plain":                         "plain",
		"\x1b[1;32mgreen\x1b[0m":        "green",
		"\x1b]0;title\x07text":          "text",
		"a\tb":                          "a b",
		"spinner |\rspinner /\rdone":    "done",
		"nul\x00byte":                   "nulbyte",
		"bad \xff utf8":                 "bad \uFFFD utf8",
		"trailing cr\r":                 "trailing cr",
		strings.Repeat("x", 1000):       strings.Repeat("x", maxLogLine) + "…",
		"\x1b[":                         "",
		"ok\x1bc after a 2-byte escape": "ok after a 2-byte escape",
	}
	for in, want := range cases {
		if got := sanitizeLogLine(in); got != want {
			t.Errorf("sanitizeLogLine(%q) = %q, want %q", in, got, want)
		}
	}
}
