package rust_test

import (
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/convert/recipes"
)

// beforeEOS is a date when the Debian 12 images are still supported.
var beforeEOS = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

func run(t *testing.T, src string, debian int, files map[string]string) *convert.Proposal {
	t.Helper()
	opt := convert.DefaultOptions()
	opt.Debian, opt.Now = debian, beforeEOS
	if files != nil {
		opt.Context = &convert.RepoContext{Files: map[string][]byte{}}
		for k, v := range files {
			opt.Context.Files[k] = []byte(v)
			opt.Context.Paths = append(opt.Context.Paths, k)
		}
	}
	p, err := convert.Run("Dockerfile", []byte(src), recipes.All(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func notes(p *convert.Proposal) string {
	var b strings.Builder
	for _, n := range p.Notes {
		b.WriteString(n.Text + "\n")
	}
	if p.Decline != nil {
		b.WriteString(p.Decline.Reason)
	}
	return b.String()
}

const upstream = `FROM rust:1 AS build-env
WORKDIR /app
COPY . /app
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12
COPY --from=build-env /app/target/release/hello /
CMD ["./hello"]
`

func TestDebian12MovesTheBuilderToBookworm(t *testing.T) {
	t.Parallel()
	p := run(t, upstream, 12, nil)
	if p.Status != convert.Converted {
		t.Fatalf("status %s: %s", p.Status, notes(p))
	}
	out := string(p.Dockerfile)
	for _, want := range []string{"FROM rust:1-bookworm AS build-env", "FROM gcr.io/distroless/cc-debian12:nonroot", "WORKDIR /"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if n := notes(p); !strings.Contains(n, "GLIBC_2.39") || !strings.Contains(n, "supported until 2026-09-30") {
		t.Errorf("notes:\n%s", n)
	}
	// Converting the result again changes nothing.
	opt := convert.DefaultOptions()
	opt.Debian, opt.Now = 12, beforeEOS
	p2, err := convert.Run("Dockerfile", p.Dockerfile, recipes.All(), opt)
	if err != nil || p2.Status != convert.Unchanged {
		t.Errorf("second run: %v %s %s", err, p2.Status, notes(p2))
	}
}

func TestDebian12KeepsArgsInFrom(t *testing.T) {
	t.Parallel()
	src := "ARG RUST_VERSION=1\nFROM rust:${RUST_VERSION}-slim-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/app /app\nENTRYPOINT [\"/app\"]\n"
	p := run(t, src, 12, nil)
	if p.Status != convert.Converted || !strings.Contains(string(p.Dockerfile), "FROM rust:${RUST_VERSION}-slim-bookworm AS build") {
		t.Fatalf("status %s\n%s\n%s", p.Status, p.Dockerfile, notes(p))
	}
}

func TestZlibOnDebian12(t *testing.T) {
	t.Parallel()
	src := "FROM rust:1-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/app /app\nENTRYPOINT [\"/app\"]\n"
	files := map[string]string{
		"Cargo.toml": "[package]\nname = \"app\"\n[dependencies]\nrdkafka = \"0.37\"\n",
		"Cargo.lock": "version = 4\n[[package]]\nname = \"rdkafka-sys\"\n[[package]]\nname = \"libz-sys\"\n[[package]]\nname = \"app\"\n",
	}
	p := run(t, src, 12, files)
	if p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "zlib") || !strings.Contains(p.Decline.Reason, "cc-debian12") {
		t.Errorf("debian 12: %s %s", p.Status, notes(p))
	}
	p = run(t, src, 13, files)
	if p.Status != convert.Converted {
		t.Errorf("debian 13: %s %s", p.Status, notes(p))
	}
	// A slim builder has no zlib development files: libz-sys builds zlib in.
	slim := strings.Replace(src, "rust:1-bookworm", "rust:1-slim-bookworm", 1)
	p = run(t, slim, 12, files)
	if p.Status != convert.Converted || !strings.Contains(notes(p), "libz-sys builds its own zlib statically") {
		t.Errorf("slim builder: %s %s", p.Status, notes(p))
	}
	// rdkafka with dynamic-linking needs librdkafka on any release.
	files["Cargo.toml"] = "[package]\nname = \"app\"\n[dependencies]\nrdkafka = { version = \"0.37\", features = [\"dynamic-linking\"] }\n"
	p = run(t, src, 13, files)
	if p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "librdkafka") {
		t.Errorf("dynamic rdkafka: %s %s", p.Status, notes(p))
	}
}

func TestDevPackageWithoutCrate(t *testing.T) {
	t.Parallel()
	src := "FROM rust:1-trixie AS build\nRUN apt-get update && apt-get install -y libpq-dev libclang-dev protobuf-compiler\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n\nFROM debian:trixie-slim\nCOPY --from=build /src/target/release/app /app\nENTRYPOINT [\"/app\"]\n"
	// Without Cargo.lock the -dev package is evidence of libpq.
	p := run(t, src, 13, nil)
	if p.Status != convert.Declined || !strings.Contains(p.Decline.Reason, "libpq (the build installs libpq-dev") {
		t.Errorf("without lock: %s %s", p.Status, notes(p))
	}
	// Cargo.lock without pq-sys rules it out; libclang-dev is for bindgen.
	files := map[string]string{"Cargo.lock": "version = 4\n[[package]]\nname = \"app\"\n[[package]]\nname = \"tokio-postgres\"\n"}
	p = run(t, src, 13, files)
	if p.Status != convert.Converted || !strings.Contains(notes(p), "no crate in Cargo.lock links libpq") {
		t.Errorf("with lock: %s %s", p.Status, notes(p))
	}
}

func TestInterpreterImagesAreNotRust(t *testing.T) {
	t.Parallel()
	src := "FROM python:3.13-slim-trixie\nRUN apt-get update && apt-get install -y cargo\nCOPY . /app\nRUN cd /app/ext && cargo build --release\nCMD [\"python\", \"/app/main.py\"]\n"
	if p := run(t, src, 13, nil); p.Recipe == "rust" {
		t.Errorf("a Python image went to the Rust recipe: %s", notes(p))
	}
}

func TestBinaryNamesFromCargoToml(t *testing.T) {
	t.Parallel()
	src := "FROM rust:1-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n\nFROM debian:trixie-slim\nCOPY --from=build /src/target/release/NAME /usr/local/bin/NAME\nENTRYPOINT [\"NAME\"]\n"
	files := map[string]string{
		"Cargo.toml":        "[package]\nname = \"orders\"\n\n[[bin]]\nname = \"orders-migrate\"\npath = \"src/migrate.rs\"\n",
		"src/main.rs":       "fn main() {}\n",
		"src/migrate.rs":    "fn main() {}\n",
		"src/bin/report.rs": "fn main() {}\n",
	}
	for name, ok := range map[string]bool{"orders": true, "orders-migrate": true, "report": true, "order-svc": false} {
		p := run(t, strings.ReplaceAll(src, "NAME", name), 13, files)
		if got := p.Status == convert.Converted; got != ok {
			t.Errorf("%s: %s %s", name, p.Status, notes(p))
		}
		if !ok && !strings.Contains(p.Decline.Reason, "Cargo.toml builds orders, orders-migrate, report") {
			t.Errorf("%s: %s", name, p.Decline.Reason)
		}
	}
}
