package verify

import (
	"debug/elf"
	"encoding/binary"
	"runtime"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestStaticBinaryOnStaticImage(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app"}, User: "65532"},
		newLayer(t).exe("app", staticBinary(t)))
	checks := inspectImage(t, img, Expectation{NonRoot: true, Distroless: true, Runtime: RuntimeStatic})
	noFailures(t, checks)
	wantCheck(t, checks, "command", Pass, "ENTRYPOINT /app resolves to /app (ELF, static)")
	wantCheck(t, checks, "elf-interpreter", Pass, "/app is statically linked")
	wantCheck(t, checks, "runtime", Pass, "static runtime")
	noCheck(t, checks, "elf-libraries")
}

func TestCgoBinaryWithoutLoader(t *testing.T) {
	t.Parallel()
	_, bin := cgoBinary(t)
	img := image(t, v1.Config{Entrypoint: []string{"/app"}}, newLayer(t).exe("app", bin))
	checks := inspectImage(t, img, Expectation{Runtime: RuntimeStatic})
	c := wantCheck(t, checks, "elf-interpreter", Fail, "/app needs the ELF interpreter /lib", "not in image")
	if c.Subject != "/app" {
		t.Errorf("subject = %q, want /app", c.Subject)
	}
	wantCheck(t, checks, "runtime", Fail, "the static runtime has no libc", "needs the loader /lib")
	// The command itself resolves: the failure is the loader's.
	wantCheck(t, checks, "command", Pass, "(ELF, dynamic)")
}

func TestCgoBinaryWithHostLibc(t *testing.T) {
	t.Parallel()
	path, bin := cgoBinary(t)
	libs := hostClosure(t, path)
	img := image(t, v1.Config{Entrypoint: []string{"/app"}},
		newLayer(t).addFiles(libs),
		newLayer(t).exe("app", bin))
	checks := inspectImage(t, img, Expectation{Runtime: RuntimeBase})
	noFailures(t, checks)
	wantCheck(t, checks, "elf-interpreter", Pass, "/app: interpreter /lib")
	wantCheck(t, checks, "elf-libraries", Pass, "libc.so.6 → /lib/"+hostTriplet()+"/libc.so.6")
	wantCheck(t, checks, "elf-versions", Pass, "highest GLIBC needed GLIBC_2.", "image libc.so.6 provides up to GLIBC_2.")
}

func TestCgoBinaryMissingLibc(t *testing.T) {
	t.Parallel()
	path, bin := cgoBinary(t)
	libs := hostClosure(t, path, "libc.so.6")
	img := image(t, v1.Config{Entrypoint: []string{"/app"}},
		newLayer(t).addFiles(libs).exe("app", bin))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "elf-interpreter", Pass)
	wantCheck(t, checks, "elf-libraries", Fail, "libc.so.6 (needed by /app): not found in /lib/"+hostTriplet())
	wantCheck(t, checks, "elf-versions", Unknown, "could not be checked")
}

func TestRunpathOrigin(t *testing.T) {
	t.Parallel()
	prog, lib := cLibProgram(t)
	libc := hostClosure(t, prog, "libfoo.so.1")
	base := func() *layer { return newLayer(t).addFiles(libc) }

	t.Run("found through $ORIGIN", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/opt/app/bin/prog"}},
			base(), newLayer(t).exe("opt/app/bin/prog", readFile(t, prog)).exe("opt/app/lib/libfoo.so.1", readFile(t, lib)))
		checks := inspectImage(t, img, Expectation{})
		noFailures(t, checks)
		wantCheck(t, checks, "elf-libraries", Pass, "libfoo.so.1 → /opt/app/lib/libfoo.so.1")
	})
	t.Run("$ORIGIN of a symlinked program is its real directory", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/usr/bin/prog"}},
			base(), newLayer(t).exe("opt/app/bin/prog", readFile(t, prog)).exe("opt/app/lib/libfoo.so.1", readFile(t, lib)).
				symlink("usr/bin/prog", "/opt/app/bin/prog"))
		checks := inspectImage(t, img, Expectation{})
		noFailures(t, checks)
		wantCheck(t, checks, "elf-libraries", Pass, "libfoo.so.1 → /opt/app/lib/libfoo.so.1")
	})
	t.Run("missing", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/opt/app/bin/prog"}},
			base(), newLayer(t).exe("opt/app/bin/prog", readFile(t, prog)))
		checks := inspectImage(t, img, Expectation{})
		wantCheck(t, checks, "elf-libraries", Fail, "libfoo.so.1 (needed by /opt/app/bin/prog): not found in /opt/app/lib, ")
	})
	t.Run("LD_LIBRARY_PATH", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/prog"}, Env: []string{"LD_LIBRARY_PATH=/custom"}},
			base(), newLayer(t).exe("prog", readFile(t, prog)).exe("custom/libfoo.so.1", readFile(t, lib)))
		checks := inspectImage(t, img, Expectation{})
		noFailures(t, checks)
		wantCheck(t, checks, "elf-libraries", Pass, "libfoo.so.1 → /custom/libfoo.so.1")
	})
	t.Run("ld.so.conf include", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/prog"}},
			base(), newLayer(t).exe("prog", readFile(t, prog)).exe("srv/lib/libfoo.so.1", readFile(t, lib)).
				text("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n").
				text("etc/ld.so.conf.d/app.conf", "# app libraries\n/srv/lib\n"))
		checks := inspectImage(t, img, Expectation{})
		noFailures(t, checks)
		wantCheck(t, checks, "elf-libraries", Pass, "libfoo.so.1 → /srv/lib/libfoo.so.1")
	})
	t.Run("a library for another machine is skipped", func(t *testing.T) {
		other := append([]byte(nil), readFile(t, lib)...)
		binary.LittleEndian.PutUint16(other[18:], uint16(elf.EM_AARCH64)) // e_machine
		img := image(t, v1.Config{Entrypoint: []string{"/opt/app/bin/prog"}},
			base(), newLayer(t).exe("opt/app/bin/prog", readFile(t, prog)).
				exe("opt/app/lib/libfoo.so.1", other).exe("usr/lib/libfoo.so.1", readFile(t, lib)))
		checks := inspectImage(t, img, Expectation{})
		noFailures(t, checks)
		wantCheck(t, checks, "elf-libraries", Pass, "libfoo.so.1 → /usr/lib/libfoo.so.1")
	})
	t.Run("not ELF is skipped", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/opt/app/bin/prog"}},
			base(), newLayer(t).exe("opt/app/bin/prog", readFile(t, prog)).exe("opt/app/lib/libfoo.so.1", []byte("not an elf file")))
		checks := inspectImage(t, img, Expectation{})
		wantCheck(t, checks, "elf-libraries", Fail, "libfoo.so.1", "skipped /opt/app/lib/libfoo.so.1 (not ELF)")
	})
}

func TestSymbolVersions(t *testing.T) {
	t.Parallel()
	prog, oldLib, newLib := versionedLib(t)
	libc := hostClosure(t, prog, "libver.so.1")
	t.Run("defined", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/prog"}},
			newLayer(t).addFiles(libc).exe("prog", readFile(t, prog)).exe("usr/lib/libver.so.1", readFile(t, newLib)))
		checks := inspectImage(t, img, Expectation{})
		noFailures(t, checks)
		wantCheck(t, checks, "elf-versions", Pass, "version needs satisfied")
	})
	t.Run("older library lacks the version", func(t *testing.T) {
		img := image(t, v1.Config{Entrypoint: []string{"/prog"}},
			newLayer(t).addFiles(libc).exe("prog", readFile(t, prog)).exe("usr/lib/libver.so.1", readFile(t, oldLib)))
		checks := inspectImage(t, img, Expectation{})
		wantCheck(t, checks, "elf-libraries", Pass)
		wantCheck(t, checks, "elf-versions", Fail, "/prog needs VER_2 from libver.so.1, which /usr/lib/libver.so.1 does not define (it has up to VER_1)")
	})
}

func TestCorruptELF(t *testing.T) {
	t.Parallel()
	good := staticBinary(t)
	cases := map[string][]byte{
		"truncated":      good[:200],
		"magic only":     []byte("\x7fELF"),
		"garbage header": append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 100)...),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			img := image(t, v1.Config{Entrypoint: []string{"/app"}}, newLayer(t).exe("app", data))
			checks := inspectImage(t, img, Expectation{})
			wantCheck(t, checks, "command", Fail, "ENTRYPOINT /app: /app is not a valid ELF file")
		})
	}
}

func TestArchitectureMismatch(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app"}}, newLayer(t).exe("app", staticBinary(t)))
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Architecture = "s390x"
	if runtime.GOARCH == "s390x" {
		cf.Architecture = "amd64"
	}
	img = withConfigFile(t, img, cf)
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "command", Fail, "but the image is "+cf.Architecture, "exec format error")
}
