package shell

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFlattensChainsAndEnv(t *testing.T) {
	t.Parallel()
	src := `set -eux; export GOFLAGS=-mod=mod
apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
  && rm -rf /var/lib/apt/lists/*
if [ "$X" = 1 ]; then pip install -r requirements.txt; fi
CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app
case "$T" in a) npm ci --omit=dev ;; esac
sudo -E env FOO=bar sh -c "yarn install --production && echo done"
X=1
true || /venv/bin/pip install --no-cache-dir .`
	s, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Commands {
		got = append(got, c.String())
	}
	want := []string{
		"set -eux",
		"apt-get update",
		"apt-get install -y --no-install-recommends ca-certificates curl",
		"rm -rf /var/lib/apt/lists/*",
		`[ $X = 1 ]`,
		"pip install -r requirements.txt",
		`go build -trimpath -ldflags=-s -w -o /out/app ./cmd/app`,
		"npm ci --omit=dev",
		"yarn install --production",
		"echo done",
		"true",
		"/venv/bin/pip install --no-cache-dir .",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("commands (-want +got):\n%s", d)
	}
	ai := s.AptInstalls()
	if len(ai) != 1 || !ai[0].NoRecommends || len(ai[0].Packages) != 2 {
		t.Errorf("apt installs = %+v", ai)
	}
	if !s.CleansAptLists() {
		t.Error("CleansAptLists = false")
	}
	pis := s.PipInstalls()
	if len(pis) != 2 || pis[0].Requirements[0] != "requirements.txt" || !pis[0].Cmd.Conditional || !pis[1].NoCacheDir || pis[1].Packages[0] != "." || !pis[1].Cmd.Conditional {
		t.Errorf("pip installs = %+v", pis)
	}
	gb := s.GoBuilds()
	if len(gb) != 1 || gb[0].CgoEnabled != "0" || gb[0].Output != "/out/app" || gb[0].GOOS != "linux" || gb[0].Ldflags != "-s -w" {
		t.Errorf("go builds = %+v", gb)
	}
	if v, _ := gb[0].Cmd.Getenv("GOFLAGS"); v != "-mod=mod" {
		t.Errorf("exported GOFLAGS not visible: %q", v)
	}
	ni := s.NodeInstalls()
	if len(ni) != 2 || !ni[0].CI || !ni[0].ProdOnly || ni[1].Tool != "yarn" || !ni[1].ProdOnly {
		t.Errorf("node installs = %+v", ni)
	}
	if v, _ := ni[1].Cmd.Getenv("FOO"); v != "bar" {
		t.Errorf("env wrapper assignment lost: %q", v)
	}
}

func TestParseSyntaxError(t *testing.T) {
	t.Parallel()
	if _, err := Parse("if then fi (("); err == nil {
		t.Fatal("want a syntax error")
	}
}
