package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDir holds the parse corpus: Dockerfiles written to exercise every
// syntax real files use.
const corpusDir = "../testdata/corpus"

type corpusFile struct {
	name string
	src  []byte
}

// loadCorpus returns the corpus files in name order.
func loadCorpus(tb testing.TB) []corpusFile {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.Dockerfile"))
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(paths)
	var out []corpusFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, corpusFile{name: filepath.Base(p), src: b})
	}
	if len(out) == 0 {
		tb.Fatalf("no corpus files in %s", corpusDir)
	}
	return out
}

// longDockerfile generates a realistic multi-stage Dockerfile of at least
// n lines: repeated build stages with long RUN continuations (comment
// lines inside), heredocs, ENV and LABEL blocks, COPY --from chains and a
// distroless final stage. It is generated rather than committed.
func longDockerfile(n int) []byte {
	var b strings.Builder
	lines := 0
	w := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		b.WriteString(s)
		b.WriteByte('\n')
		lines += strings.Count(s, "\n") + 1
	}
	w("# syntax=docker/dockerfile:1")
	w("ARG GO_VERSION=1.26")
	w("ARG DEBIAN=trixie")
	stage := 0
	for lines < n-20 {
		w("")
		w("FROM golang:${GO_VERSION}-${DEBIAN} AS build%d", stage)
		w("WORKDIR /src/svc%d", stage)
		w("ENV CGO_ENABLED=0 \\")
		w("    GOFLAGS=-trimpath \\")
		w("    SVC=svc%d", stage)
		w("LABEL org.opencontainers.image.title=\"svc%d\" \\", stage)
		w("      org.opencontainers.image.version=\"1.%d.0\"", stage)
		w("RUN set -eux; \\")
		w("    apt-get update; \\")
		w("    # build dependencies for stage %d", stage)
		w("    apt-get install -y --no-install-recommends \\")
		for i := 0; i < 8; i++ {
			w("        pkg%d-%d \\", stage, i)
		}
		w("        ca-certificates; \\")
		w("    rm -rf /var/lib/apt/lists/*")
		w("COPY svc%d/go.mod svc%d/go.sum ./", stage, stage)
		w("RUN --mount=type=cache,target=/go/pkg/mod go mod download")
		w("COPY svc%d/ .", stage)
		w("RUN <<EOF")
		w("set -e")
		for i := 0; i < 5; i++ {
			w("go generate ./pkg%d/...", i)
		}
		w("EOF")
		w("RUN --mount=type=cache,target=/root/.cache/go-build \\")
		w("    go build -ldflags=\"-s -w -X main.version=1.%d.0\" -o /out/svc%d ./cmd/svc%d", stage, stage, stage)
		if stage > 0 {
			w("COPY --from=build%d /out/svc%d /out/", stage-1, stage-1)
		}
		stage++
	}
	w("")
	w("FROM gcr.io/distroless/static-debian13:nonroot")
	w("COPY --from=build%d /out/ /usr/local/bin/", stage-1)
	w("USER 65532:65532")
	w("EXPOSE 8080/tcp")
	w("ENTRYPOINT [\"/usr/local/bin/svc0\"]")
	return []byte(b.String())
}
