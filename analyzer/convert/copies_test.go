package convert

import (
	"fmt"
	"strings"
	"testing"
)

func TestMergeCopies(t *testing.T) {
	t.Parallel()
	render := func(cs []CopySpec) string {
		var s []string
		for _, c := range cs {
			s = append(s, fmt.Sprintf("%s%s", c.Path, map[bool]string{true: "(w)"}[c.Writable]))
		}
		return strings.Join(s, " ")
	}
	cases := []struct {
		paths, writable []string
		want            string
	}{
		{[]string{"/app/app.jar", "/opt/agent/a.jar"}, []string{"/app", "/data"}, "/opt/agent/a.jar /app(w) /data(w)"},
		{[]string{"/app/files.jar"}, []string{"/app/logs", "/app/uploads/"}, "/app/files.jar /app/logs(w) /app/uploads(w)"},
		{[]string{"/app", "/app/x.dll"}, []string{"/app/data"}, "/app(w)"},
		{[]string{"/srv/a.jar", "/", "$HOME/x", ""}, nil, "/srv/a.jar"},
	}
	for _, tc := range cases {
		if got := render(MergeCopies(tc.paths, tc.writable)); got != tc.want {
			t.Errorf("MergeCopies(%v, %v) = %q, want %q", tc.paths, tc.writable, got, tc.want)
		}
	}
}
