package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func sampleReport() *Report {
	r := &Report{
		Original: &ImageReport{
			Built: true, Duration: 62 * time.Second, Digest: "sha256:aaaa", Platform: "linux/amd64",
			CompressedSize: 412 << 20, UncompressedSize: 1100 << 20, Layers: 12,
			Entrypoint: []string{}, Cmd: []string{"npm", "start"}, WorkingDir: "/app",
			Env: []string{"PATH=/usr/local/bin:/usr/bin", "NODE_ENV=production"}, ExposedPorts: []string{"3000/tcp"},
		},
		Converted: &ImageReport{
			Built: true, Duration: 45100 * time.Millisecond, Digest: "sha256:bbbb", Platform: "linux/amd64",
			CompressedSize: 48 << 20, UncompressedSize: 130 << 20, Layers: 5, User: "65532",
			Entrypoint: []string{"/nodejs/bin/node"}, Cmd: []string{"server.js"}, WorkingDir: "/app",
			Env: []string{"NODE_ENV=production"}, ExposedPorts: []string{"3000/tcp"},
		},
		Checks: []Check{
			{Name: "command", Status: Pass, Subject: "ENTRYPOINT /nodejs/bin/node", Detail: "ENTRYPOINT /nodejs/bin/node resolves to /nodejs/bin/node (ELF, dynamic)"},
			{Name: "node-main", Status: Pass, Subject: "/nodejs/bin/node", Detail: "script server.js resolves to /app/server.js"},
			{Name: "node-modules", Status: Fail, Subject: "/nodejs/bin/node", Detail: "/app/package.json lists 3 dependencies; missing from node_modules: pg"},
			{Name: "elf-versions", Status: Unknown, Subject: "/nodejs/bin/node", Detail: "/nodejs/bin/node: 2 version needs could not be checked because their libraries are missing"},
		},
	}
	r.decide()
	return r
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", append(got, '\n'))

	var back Report
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, &back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestReportText(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := sampleReport().WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.txt", buf.Bytes())

	broken := &Report{
		Original: &ImageReport{BuildError: "process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1",
			LogTail: []string{"#7 [build 3/5] RUN npm ci", "#7 12.1 npm ERR! missing package-lock.json", "#7 ERROR: exit code: 1"}},
		Checks: []Check{},
	}
	broken.decide()
	buf.Reset()
	if err := broken.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "report-broken.txt", buf.Bytes())
}

func TestWriteTextReportsWriteErrors(t *testing.T) {
	t.Parallel()
	err := sampleReport().WriteText(failingWriter{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDecide(t *testing.T) {
	t.Parallel()
	built := &ImageReport{Built: true}
	failed := &ImageReport{}
	fail := []Check{{Name: "command", Status: Fail}}
	unknown := []Check{{Name: "elf-versions", Status: Unknown}}
	cases := []struct {
		name      string
		orig      *ImageReport
		conv      *ImageReport
		checks    []Check
		verdict   Verdict
		reasonHas string
	}{
		{"all good", built, built, nil, Verified, "every check"},
		{"unknown does not fail", built, built, unknown, Verified, "every check"},
		{"check fails", built, built, fail, Failed, "1 check fails"},
		{"converted broken", built, failed, nil, Failed, "converted Dockerfile does not build"},
		{"original broken", failed, built, nil, OriginalBroken, "not build"},
		{"original broken and nothing converted", failed, nil, nil, OriginalBroken, "nothing to compare"},
		{"nothing converted", built, nil, nil, Skipped, "measured only"},
	}
	for _, tc := range cases {
		r := &Report{Original: tc.orig, Converted: tc.conv, Checks: tc.checks}
		r.decide()
		if r.Verdict != tc.verdict || !strings.Contains(r.Reason, tc.reasonHas) {
			t.Errorf("%s: %s %q, want %s …%q…", tc.name, r.Verdict, r.Reason, tc.verdict, tc.reasonHas)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
