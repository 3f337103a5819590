package e2e

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// files returns the flattened file system of img: path -> header, and the
// content of the regular files whose path keep accepts.
func files(t *testing.T, img v1.Image, keep func(string) bool) (map[string]*tar.Header, map[string][]byte) {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	hdrs := map[string]*tar.Header{}
	data := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading image: %v", err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(h.Name, "./"), "/"), "/")
		hdrs[name] = h
		if h.Typeflag == tar.TypeReg && keep != nil && keep(name) {
			var b bytes.Buffer
			if _, err := io.Copy(&b, tr); err != nil {
				t.Fatal(err)
			}
			data[name] = b.Bytes()
		}
	}
	return hdrs, data
}

var distrolessNames = []string{"static", "base-nossl", "base", "cc", "python3", "nodejs22", "java-base", "java21"}

// TestDistrolessImages checks the synthesized distroless images against
// what docs/distroless.md §2.6 says the real ones contain.
func TestDistrolessImages(t *testing.T) {
	env := environment(t)
	ctx := context.Background()
	wantEntrypoint := map[string]string{
		"python3":  "/usr/bin/python3.13",
		"nodejs22": "/nodejs/bin/node",
		"java21":   "/usr/bin/java -jar",
	}
	for _, name := range distrolessNames {
		for _, tag := range []string{"latest", "nonroot"} {
			ref := "gcr.io/distroless/" + name + "-debian13:" + tag
			t.Run(name+":"+tag, func(t *testing.T) {
				img, err := env.Image(ctx, ref)
				if err != nil {
					t.Fatalf("pulling %s: %v", ref, err)
				}
				cf, err := img.ConfigFile()
				if err != nil {
					t.Fatal(err)
				}
				if cf.Architecture != "amd64" || cf.OS != "linux" {
					t.Errorf("platform %s/%s", cf.OS, cf.Architecture)
				}
				wantUser, wantDir := "0", "/"
				if tag == "nonroot" {
					wantUser, wantDir = "65532", "/home/nonroot"
				}
				if cf.Config.User != wantUser || cf.Config.WorkingDir != wantDir {
					t.Errorf("USER %q WORKDIR %q, want %q %q", cf.Config.User, cf.Config.WorkingDir, wantUser, wantDir)
				}
				if got := strings.Join(cf.Config.Entrypoint, " "); got != wantEntrypoint[name] {
					t.Errorf("ENTRYPOINT %q, want %q", got, wantEntrypoint[name])
				}
				if len(cf.Config.Cmd) != 0 {
					t.Errorf("CMD %q, want none", cf.Config.Cmd)
				}
				env := strings.Join(cf.Config.Env, "\n")
				for _, want := range []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"} {
					if !strings.Contains(env, want) {
						t.Errorf("env lacks %s: %q", want, cf.Config.Env)
					}
				}
				if (name == "python3" || strings.HasPrefix(name, "java")) && !strings.Contains(env, "LANG=C.UTF-8") {
					t.Errorf("env lacks LANG=C.UTF-8: %q", cf.Config.Env)
				}
				hdrs, data := files(t, img, func(p string) bool {
					return p == "etc/passwd" || p == "etc/group" || p == "etc/os-release" || p == "etc/nsswitch.conf"
				})
				for _, shell := range []string{"bin/sh", "bin/bash", "bin/dash", "usr/bin/sh", "usr/bin/bash", "usr/bin/dash", "bin/busybox", "usr/bin/busybox", "busybox"} {
					if _, ok := hdrs[shell]; ok {
						t.Errorf("image has a shell at /%s", shell)
					}
				}
				if _, ok := hdrs["var/lib/dpkg/status"]; ok {
					t.Errorf("image has a dpkg database")
				}
				for _, line := range []string{
					"root:x:0:0:root:/root:/sbin/nologin",
					"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin",
					"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin",
				} {
					if !strings.Contains(string(data["etc/passwd"]), line) {
						t.Errorf("/etc/passwd lacks %q", line)
					}
				}
				if !strings.Contains(string(data["etc/group"]), "nonroot:x:65532:") {
					t.Errorf("/etc/group lacks nonroot")
				}
				if !strings.Contains(string(data["etc/os-release"]), `PRETTY_NAME="Distroless"`) {
					t.Errorf("/etc/os-release: %q", data["etc/os-release"])
				}
				if !strings.Contains(string(data["etc/nsswitch.conf"]), "hosts:          files dns") {
					t.Errorf("/etc/nsswitch.conf: %q", data["etc/nsswitch.conf"])
				}
				checkDir := func(p string, mode int64, uid int) {
					h, ok := hdrs[p]
					if !ok || h.Typeflag != tar.TypeDir {
						t.Errorf("/%s missing or not a directory", p)
						return
					}
					if h.Mode&0o7777 != mode || h.Uid != uid {
						t.Errorf("/%s mode %o uid %d, want %o %d", p, h.Mode&0o7777, h.Uid, mode, uid)
					}
				}
				checkDir("tmp", 0o1777, 0)
				checkDir("root", 0o700, 0)
				checkDir("home/nonroot", 0o700, 65532)
				if h, ok := hdrs["etc/ssl/certs/ca-certificates.crt"]; !ok || h.Size < 100_000 {
					t.Errorf("CA bundle missing or small")
				}
				switch name {
				case "static":
					if _, ok := hdrs["usr/lib/x86_64-linux-gnu/libc.so.6"]; ok {
						t.Errorf("static has libc")
					}
				case "python3":
					for _, p := range []string{"usr/bin/python3.13", "usr/bin/python3", "usr/bin/python", "etc/ld.so.cache", "usr/lib/python3.13/venv/__init__.py"} {
						if _, ok := hdrs[p]; !ok {
							t.Errorf("python3 lacks /%s", p)
						}
					}
				case "nodejs22":
					if h, ok := hdrs["nodejs/bin/node"]; !ok || h.Mode&0o111 == 0 {
						t.Errorf("nodejs22 lacks an executable /nodejs/bin/node")
					}
					for _, p := range []string{"nodejs/bin/npm", "nodejs/include"} {
						if _, ok := hdrs[p]; ok {
							t.Errorf("nodejs22 has /%s", p)
						}
					}
				case "java21":
					if h, ok := hdrs["usr/bin/java"]; !ok || h.Typeflag != tar.TypeSymlink {
						t.Errorf("java21 lacks the /usr/bin/java symlink")
					}
					if _, ok := hdrs["usr/lib/jvm/java-21-openjdk-amd64/bin/javac"]; ok {
						t.Errorf("java21 has javac")
					}
				}
				if strings.HasPrefix(name, "java") {
					if _, ok := hdrs["etc/ssl/certs/java/cacerts"]; !ok {
						t.Errorf("%s lacks the Java trust store", name)
					}
				}
			})
		}
	}
}
