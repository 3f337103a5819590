package verify

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Real binaries for the inspection tests, compiled once per test run with
// the Go toolchain and gcc into a directory removed by TestMain.

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "distill-verify-bins-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	binMu    sync.Mutex
	binCache = map[string]*binResult{}
)

type binResult struct {
	once sync.Once
	path string
	err  error
}

// cached runs build once per key and returns the output path.
func cached(t testing.TB, key string, build func(dir string) (string, error)) string {
	t.Helper()
	binMu.Lock()
	r := binCache[key]
	if r == nil {
		r = &binResult{}
		binCache[key] = r
	}
	binMu.Unlock()
	r.once.Do(func() {
		dir := filepath.Join(binDir, key)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			r.err = err
			return
		}
		r.path, r.err = build(dir)
	})
	if r.err != nil {
		t.Fatalf("building %s: %v", key, r.err)
	}
	return r.path
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

func run(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func goBuild(dir, src string, cgo bool) (string, error) {
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.21\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return "", err
	}
	env := []string{"GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0"}
	if cgo {
		env[2] = "CGO_ENABLED=1"
	}
	out := filepath.Join(dir, "app")
	return out, run(dir, env, goTool(), "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
}

// staticBinary is a Go program built with CGO_ENABLED=0.
func staticBinary(t testing.TB) []byte {
	p := cached(t, "static", func(dir string) (string, error) {
		return goBuild(dir, "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n", false)
	})
	return readFile(t, p)
}

func needGCC(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("cgo and gcc binaries are tested on Linux only")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed: cgo and C binaries cannot be built")
	}
}

// cgoBinary is a Go program that calls C, so it links libc dynamically.
// It returns the host path (to find its libraries) and the bytes.
func cgoBinary(t testing.TB) (string, []byte) {
	needGCC(t)
	p := cached(t, "cgo", func(dir string) (string, error) {
		return goBuild(dir, "package main\n\n// #include <stdio.h>\n// static void hello(void) { puts(\"hello\"); }\nimport \"C\"\n\nfunc main() { C.hello() }\n", true)
	})
	return p, readFile(t, p)
}

// cLibProgram builds libfoo.so.1 and a program that needs it with
// RUNPATH $ORIGIN/../lib. It returns the host paths of both.
func cLibProgram(t testing.TB) (prog, lib string) {
	needGCC(t)
	dir := cached(t, "clib", func(dir string) (string, error) {
		if err := os.WriteFile(filepath.Join(dir, "foo.c"), []byte("int foo(void) { return 42; }\n"), 0o644); err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.c"), []byte("int foo(void);\nint main(void) { return foo() == 42 ? 0 : 1; }\n"), 0o644); err != nil {
			return "", err
		}
		if err := run(dir, nil, "gcc", "-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "-o", "libfoo.so.1", "foo.c"); err != nil {
			return "", err
		}
		if err := run(dir, nil, "gcc", "-o", "prog", "main.c", "-L.", "-l:libfoo.so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib"); err != nil {
			return "", err
		}
		return dir, nil
	})
	return filepath.Join(dir, "prog"), filepath.Join(dir, "libfoo.so.1")
}

// versionedLib builds libver.so.1 in two releases: old defines VER_1 only,
// new adds VER_2; prog is linked against new and needs VER_2.
func versionedLib(t testing.TB) (prog, oldLib, newLib string) {
	needGCC(t)
	dir := cached(t, "verlib", func(dir string) (string, error) {
		files := map[string]string{
			"old.map": "VER_1 { global: one; local: *; };\n",
			"new.map": "VER_1 { global: one; local: *; };\nVER_2 { global: two; } VER_1;\n",
			"old.c":   "int one(void) { return 1; }\n",
			"new.c":   "int one(void) { return 1; }\nint two(void) { return 2; }\n",
			"main.c":  "int two(void);\nint main(void) { return two() == 2 ? 0 : 1; }\n",
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				return "", err
			}
		}
		if err := os.MkdirAll(filepath.Join(dir, "old"), 0o755); err != nil {
			return "", err
		}
		if err := run(dir, nil, "gcc", "-shared", "-fPIC", "-Wl,-soname,libver.so.1", "-Wl,--version-script=old.map", "-o", "old/libver.so.1", "old.c"); err != nil {
			return "", err
		}
		if err := run(dir, nil, "gcc", "-shared", "-fPIC", "-Wl,-soname,libver.so.1", "-Wl,--version-script=new.map", "-o", "libver.so.1", "new.c"); err != nil {
			return "", err
		}
		if err := run(dir, nil, "gcc", "-o", "prog", "main.c", "-L.", "-l:libver.so.1"); err != nil {
			return "", err
		}
		return dir, nil
	})
	return filepath.Join(dir, "prog"), filepath.Join(dir, "old", "libver.so.1"), filepath.Join(dir, "libver.so.1")
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostTriplet is Debian's multiarch directory name for the host.
func hostTriplet() string {
	switch runtime.GOARCH {
	case "arm64":
		return "aarch64-linux-gnu"
	default:
		return "x86_64-linux-gnu"
	}
}

// hostClosure copies what a host binary needs to start from the host: its
// PT_INTERP (placed at that exact path) and the real files of its
// DT_NEEDED libraries, recursively, placed in /lib/<triplet>. It is how
// the tests get a genuine libc.so.6 and ld-linux into an image. skip lists
// library names to leave out.
func hostClosure(t testing.TB, bin string, skip ...string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	interp := ""
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			buf := make([]byte, p.Filesz)
			if _, err := p.ReadAt(buf, 0); err != nil {
				t.Fatal(err)
			}
			interp = string(bytes.TrimRight(buf, "\x00"))
		}
	}
	if interp == "" {
		t.Fatalf("%s has no PT_INTERP", bin)
	}
	files[interp] = readFile(t, realPath(t, interp))
	dirs := []string{"/lib/" + hostTriplet(), "/usr/lib/" + hostTriplet(), "/lib64", "/usr/lib64", "/lib", "/usr/lib"}
	done := map[string]bool{filepath.Base(interp): true}
	for _, s := range skip {
		done[s] = true
	}
	queue := []string{bin}
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		ef, err := elf.Open(obj)
		if err != nil {
			t.Fatal(err)
		}
		needed, err := ef.ImportedLibraries()
		ef.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range needed {
			if done[n] {
				continue
			}
			done[n] = true
			found := ""
			for _, d := range dirs {
				if _, err := os.Stat(filepath.Join(d, n)); err == nil {
					found = filepath.Join(d, n)
					break
				}
			}
			if found == "" {
				t.Fatalf("host library %s not found", n)
			}
			files["/lib/"+hostTriplet()+"/"+n] = readFile(t, realPath(t, found))
			queue = append(queue, found)
		}
	}
	return files
}

func realPath(t testing.TB, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// addFiles puts a map of image paths to contents into a layer, as
// executable files (libraries and loaders are mode 0755 in Debian).
func (l *layer) addFiles(files map[string][]byte) *layer {
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		l.exe(strings.TrimPrefix(k, "/"), files[k])
	}
	return l
}
