package verify

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

const passwd = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
const group = "root:x:0:\ntty:x:5:\nstaff:x:50:nonroot\nnonroot:x:65532:\nnobody:x:65534:\n"

func accounts(t *testing.T) *layer {
	return newLayer(t).dir("etc").text("etc/passwd", passwd).text("etc/group", group)
}

func TestUser(t *testing.T) {
	t.Parallel()
	bin := staticBinary(t)
	cases := []struct {
		name    string
		user    string
		noEtc   bool
		user1   CheckStatus
		detail1 string
		nonroot CheckStatus
		detail2 string
	}{
		{"unset", "", false, Pass, "USER not set: the container runs as root (uid 0)", Fail, "runs as root: USER is not set"},
		{"root by name", "root", false, Pass, "USER root → uid 0 via /etc/passwd", Fail, "runs as root: USER root → uid 0"},
		{"root by number", "0:0", false, Pass, "USER 0:0: numeric, uid 0 (root in /etc/passwd)", Fail, "runs as root"},
		{"numeric nonroot", "65532", false, Pass, "USER 65532: numeric, uid 65532 (nonroot in /etc/passwd), gid 65532", Pass, "runs as uid 65532 (USER 65532)"},
		{"numeric without passwd", "1000:1000", true, Pass, "USER 1000:1000: numeric, uid 1000, gid 1000", Pass, "runs as uid 1000"},
		{"name", "nonroot", false, Pass, "USER nonroot → uid 65532 via /etc/passwd, gid 65532", Pass,
			"a user name, so Kubernetes runAsNonRoot cannot verify it: prefer USER 65532"},
		{"unknown name", "app", false, Fail, "USER app: no such user in /etc/passwd (the container would not start)", Fail, "cannot tell the uid"},
		{"name without passwd", "app", true, Fail, "USER app: /etc/passwd not in image, so the name cannot be resolved", Fail, "cannot tell the uid"},
		{"unknown group", "nonroot:web", false, Fail, "USER nonroot:web: no such group web in /etc/group", Pass, "runs as uid 65532"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			layers := []*layer{newLayer(t).exe("app", bin)}
			if !tc.noEtc {
				layers = append(layers, accounts(t))
			}
			img := image(t, v1.Config{Entrypoint: []string{"/app"}, User: tc.user}, layers...)
			checks := inspectImage(t, img, Expectation{NonRoot: true})
			wantCheck(t, checks, "user", tc.user1, tc.detail1)
			wantCheck(t, checks, "non-root", tc.nonroot, tc.detail2)
		})
	}
}

func TestNonRootOnlyWhenPromised(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app"}}, newLayer(t).exe("app", staticBinary(t)))
	checks := inspectImage(t, img, Expectation{})
	noCheck(t, checks, "non-root")
	noCheck(t, checks, "no-shell")
	noCheck(t, checks, "runtime")
}

func TestGroupMembershipGrantsExecution(t *testing.T) {
	t.Parallel()
	// /app is 0750 root:staff; nonroot is a member of staff in /etc/group.
	img := image(t, v1.Config{Entrypoint: []string{"/app"}, User: "nonroot"},
		accounts(t), newLayer(t).ownedFile("app", 0o750, 0, 50, staticBinary(t)))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "command", Pass)

	img = image(t, v1.Config{Entrypoint: []string{"/app"}, User: "nobody"},
		accounts(t), newLayer(t).ownedFile("app", 0o750, 0, 50, staticBinary(t)))
	checks = inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "command", Fail, "/app is not executable by uid 65534")
}

func TestNoShell(t *testing.T) {
	t.Parallel()
	bin := staticBinary(t)
	cases := []struct {
		name   string
		files  *layer
		status CheckStatus
		detail string
	}{
		{"absent", newLayer(t).exe("app", bin), Pass, "no shell at /bin/sh, /bin/bash"},
		{"dash via symlink", newLayer(t).exe("app", bin).exe("bin/dash", bin).symlink("bin/sh", "dash"), Fail,
			"shell present: /bin/sh → dash, /bin/dash"},
		{"busybox of a debug image", newLayer(t).exe("app", bin).exe("busybox/busybox", bin).symlink("busybox/sh", "busybox"), Fail,
			"shell present: /busybox/sh → busybox"},
		{"dangling /bin/sh is no shell", newLayer(t).exe("app", bin).symlink("bin/sh", "/bin/dash"), Pass, "no shell"},
		{"usr-merged /bin", newLayer(t).exe("app", bin).symlink("bin", "usr/bin").exe("usr/bin/bash", bin), Fail,
			"shell present: /bin/bash → usr/bin, /usr/bin/bash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			img := image(t, v1.Config{Entrypoint: []string{"/app"}}, tc.files)
			checks := inspectImage(t, img, Expectation{Distroless: true})
			wantCheck(t, checks, "no-shell", tc.status, tc.detail)
		})
	}
}

func TestRuntimeMismatch(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app"}}, newLayer(t).exe("app", staticBinary(t)))
	checks := inspectImage(t, img, Expectation{Runtime: RuntimePython3})
	wantCheck(t, checks, "runtime", Fail, "the python3 runtime runs Python, but the command runs /app (ELF, static) (no known language runtime)")
}
