package native_test

import (
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/convert/recipes"
)

var beforeEOS = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

func run(t *testing.T, src string, debian int) *convert.Proposal {
	t.Helper()
	opt := convert.DefaultOptions()
	opt.Debian, opt.Now = debian, beforeEOS
	p, err := convert.Run("Dockerfile", []byte(src), recipes.All(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if p.Recipe != "native" {
		t.Fatalf("recipe %q", p.Recipe)
	}
	return p
}

func text(p *convert.Proposal) string {
	var b strings.Builder
	b.Write(p.Dockerfile)
	for _, n := range p.Notes {
		b.WriteString(n.Text + "\n")
	}
	if p.Decline != nil {
		b.WriteString(p.Decline.Reason)
	}
	return b.String()
}

const trixieBuild = `FROM debian:trixie AS build
RUN apt-get update && apt-get install -y build-essential
WORKDIR /src
COPY . .
RUN mkdir -p build && cd build && gcc -O2 -o server ../main.c && cp server /usr/local/bin/

FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/server /usr/local/bin/server
CMD ["server"]
`

func TestDebian12MovesDebianBuilder(t *testing.T) {
	t.Parallel()
	p := run(t, trixieBuild, 12)
	out := text(p)
	if p.Status != convert.Converted || !strings.Contains(out, "FROM debian:bookworm AS build") || !strings.Contains(out, "FROM gcr.io/distroless/base-debian12:nonroot") {
		t.Fatalf("%s\n%s", p.Status, out)
	}
	// On Debian 13 nothing moves.
	p = run(t, trixieBuild, 13)
	if out := text(p); p.Status != convert.Converted || !strings.Contains(out, "FROM debian:trixie AS build") || !strings.Contains(out, "base-debian13:nonroot") {
		t.Fatalf("%s\n%s", p.Status, out)
	}
}

func TestDebian12Declines(t *testing.T) {
	t.Parallel()
	gcc := strings.Replace(trixieBuild, "FROM debian:trixie AS build", "FROM gcc:15 AS build", 1)
	if p := run(t, gcc, 12); p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "gcc:15 (Debian 13") {
		t.Errorf("gcc on 12: %s %s", p.Status, text(p))
	}
	noble := strings.Replace(trixieBuild, "FROM debian:trixie AS build", "FROM ubuntu:24.04 AS build", 1)
	if p := run(t, noble, 12); p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "Ubuntu 24.04") {
		t.Errorf("noble on 12: %s %s", p.Status, text(p))
	}
	if p := run(t, noble, 13); p.Status != convert.Converted {
		t.Errorf("noble on 13: %s %s", p.Status, text(p))
	}
	latest := strings.Replace(trixieBuild, "FROM debian:trixie AS build", "FROM ubuntu AS build", 1)
	if p := run(t, latest, 13); p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "does not know") {
		t.Errorf("ubuntu:latest: %s %s", p.Status, text(p))
	}
}

func TestLibrariesFromFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		compile string
		want    string // final image or decline text
	}{
		{"gcc -O2 -o /out/app main.c -lm -lssl -lcrypto", "base-debian13:nonroot"},
		{"gcc -O2 -o /out/app main.c -lz", "base-debian13:nonroot"},
		{"g++ -O2 -o /out/app main.cpp", "cc-debian13:nonroot"},
		{"g++ -O2 -static-libstdc++ -static-libgcc -o /out/app main.cpp", "base-debian13:nonroot"},
		{"gcc -fopenmp -o /out/app main.c", "cc-debian13:nonroot"},
		{"gcc -o /out/app main.c $(pkg-config --cflags --libs libpq)", "libpq (pkg-config libpq"},
		{"gcc -o /out/app main.c -lfoo", "libfoo (-lfoo"},
		{"gcc -static -o /out/app main.c", "static-debian13:nonroot"},
		{"musl-gcc -o /out/app main.c", "musl loader"},
		{"musl-gcc -static -o /out/app main.c", "static-debian13:nonroot"},
	}
	for _, tc := range cases {
		src := "FROM debian:trixie AS build\nRUN apt-get update && apt-get install -y build-essential musl-tools\nCOPY . /src\nWORKDIR /src\nRUN " + tc.compile + "\n\nFROM debian:trixie-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"
		p := run(t, src, 13)
		if got := text(p); !strings.Contains(got, tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.compile, tc.want, got)
		}
	}
	// zlib is not in the Debian 12 images.
	src := "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y build-essential\nCOPY . /src\nWORKDIR /src\nRUN gcc -o /out/app main.c -lz\n\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"
	if p := run(t, src, 12); p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "zlib") {
		t.Errorf("zlib on 12: %s", text(p))
	}
}

func TestFollowsCopiesAndDirectories(t *testing.T) {
	t.Parallel()
	src := `FROM debian:trixie AS build
RUN apt-get update && apt-get install -y build-essential cmake
WORKDIR /src
COPY . .
RUN cmake -S . -B out -DCMAKE_INSTALL_PREFIX=/opt/tool && cmake --build out && cmake --install out

FROM debian:trixie-slim
COPY --from=build /opt/tool /opt/tool
ENTRYPOINT ["/opt/tool/bin/tool"]
`
	p := run(t, src, 13)
	if p.Status != convert.Converted || !strings.Contains(string(p.Dockerfile), "FROM gcr.io/distroless/cc-debian13:nonroot") {
		t.Errorf("cmake install: %s", text(p))
	}
	// A binary left only in a cache mount is gone.
	src = "FROM gcc:14 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/src/build make -C build\n\nFROM debian:trixie-slim\nCOPY --from=build /src/build/app /app\nCMD [\"/app\"]\n"
	if p := run(t, src, 13); p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "--mount=type=cache") {
		t.Errorf("cache mount: %s", text(p))
	}
}
