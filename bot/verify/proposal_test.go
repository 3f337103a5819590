package verify

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpectationFor(t *testing.T) {
	t.Parallel()
	cases := map[string]Expectation{
		"gcr.io/distroless/static-debian13:nonroot":                {Distroless: true, NonRoot: true, Runtime: RuntimeStatic},
		"gcr.io/distroless/python3-debian13:nonroot":               {Distroless: true, NonRoot: true, Runtime: RuntimePython3, PythonMinor: "3.13"},
		"gcr.io/distroless/nodejs22-debian13":                      {Distroless: true, Runtime: RuntimeNodeJS},
		"gcr.io/distroless/java21-debian13:nonroot":                {Distroless: true, NonRoot: true, Runtime: RuntimeJava},
		"gcr.io/distroless/cc-debian13:nonroot":                    {Distroless: true, NonRoot: true, Runtime: RuntimeCC},
		"mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra": {Distroless: true, NonRoot: true},
	}
	for img, want := range cases {
		if got := ExpectationFor(img); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", img, got, want)
		}
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	r := &Report{Verdict: Verified, Original: &ImageReport{Built: true, UncompressedSize: 812e6}, Converted: &ImageReport{Built: true, UncompressedSize: 9.8e6}}
	if got := r.Summary(); got != "built ✓, inspected ✓, 812.0 MB → 9.8 MB (-99%)" {
		t.Errorf("summary = %q", got)
	}
	r = &Report{Verdict: Failed, Original: &ImageReport{Built: true}, Converted: &ImageReport{Built: true},
		Checks: []Check{{Name: "elf-interpreter", Status: Fail, Detail: "/app needs /lib64/ld-linux-x86-64.so.2: not in image"}}}
	if got := r.Summary(); !strings.Contains(got, "inspected ✗") || !strings.Contains(got, "ld-linux") {
		t.Errorf("summary = %q", got)
	}
	r = &Report{Verdict: Failed, Original: &ImageReport{Built: true}, Converted: &ImageReport{BuildError: "process \"/bin/sh -c go build\" did not complete\nmore"}}
	if got := r.Summary(); got != `built ✗: process "/bin/sh -c go build" did not complete` {
		t.Errorf("summary = %q", got)
	}
}
