package verify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The inputs of the verifier come from pull requests: these fuzz targets
// check that malformed ELF files, scripts, jars, package.json files and
// archives give errors or failed checks, never panics. Run them with
// go test -fuzz=FuzzInspectFile ./bot/verify (the seeds run in every go test).

func FuzzReadELF(f *testing.F) {
	bin := staticBinary(f)
	f.Add(bin[:4096])
	f.Add(bin[:64])
	f.Add([]byte("\x7fELF\x02\x01\x01\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = readELF(bytes.NewReader(data))
	})
}

// FuzzInspectFile puts the fuzzed bytes at every file the checks read.
func FuzzInspectFile(f *testing.F) {
	bin := staticBinary(f)
	f.Add(bin[:2048])
	f.Add([]byte("#!/usr/bin/env -S a -u\n"))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte(`{"dependencies": {"a": "1"}, "main": "../../x"}`))
	f.Add([]byte("home = /usr/bin\nversion = 3.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img := image(t, v1.Config{Entrypoint: []string{"/app"}, User: "app", WorkingDir: "/w"},
			newLayer(t).exe("app", data).exe("usr/bin/java", data).exe("usr/bin/python3", data).
				file("w/app.jar", 0o644, data).file("w/package.json", 0o644, data).
				file("venv/pyvenv.cfg", 0o644, data).file("etc/passwd", 0o644, data).file("etc/ld.so.conf", 0o644, data))
		for _, cfg := range []v1.Config{
			{Entrypoint: []string{"/app"}, User: "app"},
			{Entrypoint: []string{"/usr/bin/java", "-jar"}, Cmd: []string{"app.jar"}, WorkingDir: "/w"},
			{Entrypoint: []string{"/nodejs/bin/node", "index.js"}, WorkingDir: "/w"},
			{Entrypoint: []string{"/venv/bin/python3", "-m", "x"}},
		} {
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			cf = cf.DeepCopy()
			cf.Config = cfg
			_, err = InspectImage(context.Background(), withConfigFile(t, img, cf), Expectation{NonRoot: true, Distroless: true, Runtime: RuntimeJava}, InspectOptions{TempDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

func FuzzExtractTarball(f *testing.F) {
	f.Add(makeTar(f, true, entry{name: top + "a", body: "x"}, entry{name: top + "l", typ: '2', linkname: "a"}))
	f.Add(makeTar(f, false, entry{name: top + "../x", body: "x"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		_, _ = ExtractTarball(bytes.NewReader(data), filepath.Join(base, "ctx"), ExtractLimits{MaxBytes: 1 << 20, MaxFiles: 100})
		ents, err := os.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.Name() != "ctx" {
				t.Fatalf("wrote %s outside the destination", e.Name())
			}
		}
	})
}
