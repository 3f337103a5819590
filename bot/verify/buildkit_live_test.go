package verify

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// These tests talk to a real BuildKit daemon and run only when
// BUILDKIT_HOST is set (unix:///… or tcp://…). TLS comes from
// BUILDKIT_TLS_CACERT, BUILDKIT_TLS_CERT, BUILDKIT_TLS_KEY and
// BUILDKIT_TLS_SERVERNAME; a tcp:// host without them is used in the
// clear. The FROM scratch builds need no registry or network. Tests that
// need RUN set BUILDKIT_TEST_SHELL_IMAGE to an image with /bin/sh that the
// daemon can pull (the e2e environment's synthesized base image).

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
	base := os.Getenv("BUILDKIT_TEST_SHELL_IMAGE")
	if base == "" {
		t.Skip("BUILDKIT_TEST_SHELL_IMAGE is not set: RUN-based tests need an image with /bin/sh")
	}
	for name, run := range map[string]string{
		"secret":       "RUN --mount=type=secret,id=token,required=true cat /run/secrets/token",
		"ssh":          "RUN --mount=type=ssh,required=true true",
		"host network": "RUN --network=host true",
		"insecure":     "RUN --security=insecure true",
	} {
		t.Run(name, func(t *testing.T) {
			rep := liveVerify(t, v, Request{
				ContextDir: liveContext(t),
				Original:   []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"),
				Converted:  []byte("FROM " + base + "\n" + run + "\n"),
			})
			if rep.Converted.Built {
				t.Fatalf("%q built: the verifier must not forward it", run)
			}
		})
	}
}
