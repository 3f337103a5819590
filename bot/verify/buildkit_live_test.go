package verify

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// These tests talk to a real BuildKit daemon and run only when
// BUILDKIT_HOST is set (unix:///… or tcp://…). TLS comes from
// BUILDKIT_TLS_CACERT, BUILDKIT_TLS_CERT, BUILDKIT_TLS_KEY and
// BUILDKIT_TLS_SERVERNAME; a tcp:// host without them is used in the
// clear. The FROM scratch builds need no registry or network. Tests that
// need RUN use BUILDKIT_TEST_SHELL_IMAGE (an image with /bin/sh that the
// daemon can pull), or else push one to an in-process registry on
// 127.0.0.1, which a daemon on the same host pulls over plain HTTP.

func liveVerifier(t *testing.T) *Verifier {
	t.Helper()
	host := os.Getenv("BUILDKIT_HOST")
	if host == "" {
		t.Skip("BUILDKIT_HOST is not set: skipping the tests that need a BuildKit daemon")
	}
	opts := Options{
		BuildkitHost: host,
		Platform:     "linux/" + runtime.GOARCH, // the test binaries are built for the host
		BuildTimeout: 5 * time.Minute,
		TempDir:      t.TempDir(),
	}
	if ca, cert, key, name := os.Getenv("BUILDKIT_TLS_CACERT"), os.Getenv("BUILDKIT_TLS_CERT"), os.Getenv("BUILDKIT_TLS_KEY"), os.Getenv("BUILDKIT_TLS_SERVERNAME"); ca+cert+key+name != "" {
		opts.TLS = &TLSOptions{CACert: ca, Cert: cert, Key: key, ServerName: name}
	} else if strings.HasPrefix(host, "tcp://") {
		opts.AllowInsecureTCP = true
	}
	v, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// liveContext is a build context holding a static binary.
func liveContext(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app"), staticBinary(t), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("context file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func liveVerify(t *testing.T, v *Verifier, req Request) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep, err := v.Verify(ctx, req)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	var b strings.Builder
	_ = rep.WriteText(&b)
	t.Logf("report:\n%s", b.String())
	return rep
}

func TestLiveScratchVerified(t *testing.T) {
	v := liveVerifier(t)
	rep := liveVerify(t, v, Request{
		ContextDir: liveContext(t),
		Original:   []byte("FROM scratch\nCOPY . /\nENTRYPOINT [\"/app\"]\n"),
		Converted:  []byte("FROM scratch\nCOPY app /app\nUSER 65532:65532\nEXPOSE 8080\nENTRYPOINT [\"/app\"]\n"),
		Expect:     Expectation{NonRoot: true, Distroless: true, Runtime: RuntimeStatic},
	})
	if rep.Verdict != Verified {
		t.Fatalf("verdict %s: %s", rep.Verdict, rep.Reason)
	}
	c := rep.Converted
	if c.Layers != 1 || c.User != "65532:65532" || c.CompressedSize <= 0 || c.UncompressedSize <= c.CompressedSize/4 ||
		len(c.ExposedPorts) != 1 || !strings.HasPrefix(c.Digest, "sha256:") || c.Platform != "linux/"+runtime.GOARCH {
		t.Errorf("converted image report: %+v", c)
	}
	if rep.Original.UncompressedSize <= c.UncompressedSize {
		t.Errorf("the original (with README) should be larger: %d vs %d", rep.Original.UncompressedSize, c.UncompressedSize)
	}
	if len(rep.Original.LogTail) == 0 {
		t.Error("no build log captured")
	}
	wantCheck(t, rep.Checks, "command", Pass, "ENTRYPOINT /app resolves to /app (ELF, static)")
}

func TestLiveTargetAndBuildArgs(t *testing.T) {
	v := liveVerifier(t)
	rep := liveVerify(t, v, Request{
		ContextDir: liveContext(t),
		Original: []byte("ARG BIN=app\nFROM scratch AS release\nARG BIN\nCOPY ${BIN} /app\nENTRYPOINT [\"/app\"]\n" +
			"FROM scratch AS broken\nCOPY does-not-exist /x\n"),
		Target:    "release",
		BuildArgs: map[string]string{"BIN": "app"},
		Converted: []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
	})
	if rep.Verdict != Verified {
		t.Fatalf("verdict %s: %s", rep.Verdict, rep.Reason)
	}
}

func TestLiveConvertedDoesNotBuild(t *testing.T) {
	v := liveVerifier(t)
	rep := liveVerify(t, v, Request{
		ContextDir: liveContext(t),
		Original:   []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
		Converted:  []byte("FROM scratch\nCOPY no-such-file /app\nENTRYPOINT [\"/app\"]\n"),
	})
	if rep.Verdict != Failed || rep.Converted.Built || !strings.Contains(rep.Converted.BuildError, "no-such-file") {
		t.Fatalf("verdict %s, converted %+v", rep.Verdict, rep.Converted)
	}
	if len(rep.Converted.LogTail) == 0 {
		t.Error("no log tail for the failed build")
	}
}

func TestLiveOriginalBroken(t *testing.T) {
	v := liveVerifier(t)
	rep := liveVerify(t, v, Request{
		ContextDir: liveContext(t),
		Original:   []byte("FROM scratch\nCOPY gone /gone\n"),
		Converted:  []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
	})
	if rep.Verdict != OriginalBroken || rep.Original.Built || !rep.Converted.Built {
		t.Fatalf("verdict %s, original %+v", rep.Verdict, rep.Original)
	}
}

func TestLiveConvertedFailsACheck(t *testing.T) {
	v := liveVerifier(t)
	rep := liveVerify(t, v, Request{
		ContextDir: liveContext(t),
		Original:   []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
		Converted:  []byte("FROM scratch\nCOPY app /srv/app\nENTRYPOINT [\"/app\"]\n"),
		Expect:     Expectation{NonRoot: true},
	})
	if rep.Verdict != Failed {
		t.Fatalf("verdict %s: %s", rep.Verdict, rep.Reason)
	}
	wantCheck(t, rep.Checks, "command", Fail, "ENTRYPOINT /app: not in image")
	wantCheck(t, rep.Checks, "non-root", Fail, "runs as root")
}

// TestLiveNoSecretsNoHostNetwork checks that the verifier forwards no
// secrets and grants no entitlements: both RUNs must fail to build.
func TestLiveNoSecretsNoHostNetwork(t *testing.T) {
	v := liveVerifier(t)
	base := liveShellImage(t)
	// Each RUN would build with the forwarded secret or the entitlement;
	// TestLiveRunStep shows the same base image runs RUN steps.
	for name, tc := range map[string]struct{ run, why string }{
		"secret":       {"RUN --mount=type=secret,id=token,required=true cat /run/secrets/token", "secret token: not found"},
		"ssh":          {"RUN --mount=type=ssh,required=true true", "no SSH key"},
		"host network": {"RUN --network=host true", "network.host is not allowed"},
		"insecure":     {"RUN --security=insecure true", "security.insecure is not allowed"},
	} {
		run := tc.run
		t.Run(name, func(t *testing.T) {
			rep := liveVerify(t, v, Request{
				ContextDir: liveContext(t),
				Original:   []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
				Converted:  []byte("FROM " + base + "\n" + run + "\n"),
			})
			if rep.Converted.Built {
				t.Fatalf("%q built: the verifier must not forward it", run)
			}
			if !strings.Contains(rep.Converted.BuildError, tc.why) {
				t.Errorf("build error %q, want it to say %q", rep.Converted.BuildError, tc.why)
			}
		})
	}
}

// liveShellImage names an image with /bin/sh for RUN steps: the host's
// dash and its libraries, pushed to an in-process registry.
func liveShellImage(t *testing.T) string {
	t.Helper()
	if ref := os.Getenv("BUILDKIT_TEST_SHELL_IMAGE"); ref != "" {
		return ref
	}
	needGCC(t) // Linux host with a dynamic /bin/sh to copy
	sh, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		t.Skipf("no /bin/sh on the host: %v", err)
	}
	files := hostClosure(t, sh)
	files["/bin/sh"] = readFile(t, sh)
	files["/bin/true"] = []byte("#!/bin/sh\n")
	files["/bin/cat"] = []byte("#!/bin/sh\nwhile read -r l; do echo \"$l\"; done < \"$1\"\n")
	img := image(t, v1.Config{Env: []string{"PATH=/bin"}}, newLayer(t).addFiles(files).dir("tmp"))
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	ref := strings.TrimPrefix(srv.URL, "http://") + "/distill/shell:test"
	tag, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, img); err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestLiveRunStep builds a converted image whose builder stage runs a
// command, as real conversions do, and checks the dynamic program in it.
func TestLiveRunStep(t *testing.T) {
	v := liveVerifier(t)
	base := liveShellImage(t)
	rep := liveVerify(t, v, Request{
		ContextDir: liveContext(t),
		Original:   []byte("FROM " + base + "\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
		Converted: []byte("FROM " + base + " AS build\nRUN echo built > /marker\n" +
			"FROM scratch\nCOPY --from=build /marker /marker\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n"),
		Expect: Expectation{NonRoot: true, Distroless: true, Runtime: RuntimeStatic},
	})
	if rep.Verdict != Verified {
		t.Fatalf("verdict %s: %s", rep.Verdict, rep.Reason)
	}
	if rep.Original.UncompressedSize <= rep.Converted.UncompressedSize {
		t.Errorf("the shell base should make the original larger: %d vs %d", rep.Original.UncompressedSize, rep.Converted.UncompressedSize)
	}
	// The original carries a shell; had it been the proposal, no-shell fails.
	orig := rep.Original
	if orig.Layers != 2 {
		t.Errorf("original layers = %d, want 2", orig.Layers)
	}
}

// TestLiveDynamicBinaryOnScratch is distroless.md's classic: a cgo binary
// copied into an image without libc builds fine and cannot start.
func TestLiveDynamicBinaryOnScratch(t *testing.T) {
	v := liveVerifier(t)
	_, bin := cgoBinary(t)
	dir := liveContext(t)
	if err := os.WriteFile(filepath.Join(dir, "app-cgo"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	rep := liveVerify(t, v, Request{
		ContextDir: dir,
		Original:   []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
		Converted:  []byte("FROM scratch\nCOPY app-cgo /app\nENTRYPOINT [\"/app\"]\n"),
		Expect:     Expectation{Runtime: RuntimeStatic},
	})
	if rep.Verdict != Failed {
		t.Fatalf("verdict %s: %s", rep.Verdict, rep.Reason)
	}
	wantCheck(t, rep.Checks, "elf-interpreter", Fail, "/app needs the ELF interpreter /lib", "not in image")
	wantCheck(t, rep.Checks, "runtime", Fail, "the static runtime has no libc")
}
