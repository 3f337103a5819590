package verify

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// distrolessPython lays out what python3-debian13 provides: the
// interpreter at /usr/bin/python3.13 (a static test binary stands in for
// it), the python/python3 links, and the standard library.
func distrolessPython(t *testing.T) *layer {
	return newLayer(t).dir("usr").dir("usr/bin").exe("usr/bin/python3.13", staticBinary(t)).
		symlink("usr/bin/python3", "python3.13").symlink("usr/bin/python", "python3.13").
		text("usr/lib/python3.13/os.py", "# stdlib").text("usr/lib/python3.13/http/__init__.py", "").
		text("usr/lib/python3.13/http/server.py", "# stdlib")
}

// goodVenv is a venv made in python:3.13-slim-trixie after
// "ln -s /usr/local/bin/python /usr/bin/python" (distroless.md §3.2).
func goodVenv(t *testing.T) *layer {
	return newLayer(t).
		text("venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.13.5\nexecutable = /usr/local/bin/python3.13\ncommand = /usr/bin/python -m venv /venv\n").
		symlink("venv/bin/python", "/usr/bin/python").symlink("venv/bin/python3", "python").symlink("venv/bin/python3.13", "python").
		exe("venv/bin/gunicorn", []byte("#!/venv/bin/python3\nimport sys\nfrom gunicorn.app.wsgiapp import run\nsys.exit(run())\n")).
		text("venv/lib/python3.13/site-packages/gunicorn/__init__.py", "").
		text("venv/lib/python3.13/site-packages/gunicorn/__main__.py", "").
		text("venv/lib/python3.13/site-packages/flask/__init__.py", "")
}

func app(t *testing.T) *layer {
	return newLayer(t).dir("app").text("app/main.py", "print('hi')\n")
}

func TestPythonVenvOnDistroless(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/venv/bin/python3", "main.py"}, WorkingDir: "/app", User: "65532"},
		distrolessPython(t), goodVenv(t), app(t))
	checks := inspectImage(t, img, Expectation{NonRoot: true, Distroless: true, Runtime: RuntimePython3, PythonMinor: "3.13"})
	noFailures(t, checks)
	wantCheck(t, checks, "command", Pass, "ENTRYPOINT /venv/bin/python3 resolves to /venv/bin/python3 → python → /usr/bin/python → python3.13 (ELF, static)")
	wantCheck(t, checks, "python-venv", Pass, "venv /venv (runs the command)", "pyvenv.cfg home = /usr/bin has python3.13")
	wantCheck(t, checks, "python-version", Pass, "interpreter is Python 3.13 (from the interpreter /usr/bin/python3.13)", "venv /venv has lib/python3.13")
	wantCheck(t, checks, "python-main", Pass, "script main.py is /app/main.py")
	wantCheck(t, checks, "runtime", Pass, "the command runs Python")
}

func TestPythonVenvPointingAtBuilderInterpreter(t *testing.T) {
	t.Parallel()
	// The venv was created in python:3.13-slim without the /usr/bin/python
	// symlink: bin/python points at /usr/local/bin, absent in distroless.
	venv := newLayer(t).
		text("venv/pyvenv.cfg", "home = /usr/local/bin\nversion = 3.13.5\n").
		symlink("venv/bin/python", "/usr/local/bin/python3.13").symlink("venv/bin/python3", "python").
		text("venv/lib/python3.13/site-packages/flask/__init__.py", "")
	img := image(t, v1.Config{Entrypoint: []string{"/venv/bin/python3", "main.py"}, WorkingDir: "/app"},
		distrolessPython(t), newLayer(t).dir("usr/local").dir("usr/local/bin"), venv, app(t))
	checks := inspectImage(t, img, Expectation{Runtime: RuntimePython3})
	wantCheck(t, checks, "command", Fail, "ENTRYPOINT /venv/bin/python3 → python → /usr/local/bin/python3.13: not in image")
	wantCheck(t, checks, "python-venv", Fail,
		"/venv/bin/python → /usr/local/bin/python3.13: not in image",
		"pyvenv.cfg home = /usr/local/bin has no python3.13 or python3 interpreter")
	// The language checks still ran on the dangling interpreter.
	wantCheck(t, checks, "python-main", Pass, "/app/main.py")
	wantCheck(t, checks, "runtime", Pass)
}

func TestPythonVenvHomeMissing(t *testing.T) {
	t.Parallel()
	venv := newLayer(t).
		text("venv/pyvenv.cfg", "home = /opt/python/bin\nversion = 3.13.5\n").
		symlink("venv/bin/python", "/usr/bin/python3.13").symlink("venv/bin/python3", "python").
		dir("venv/lib/python3.13/site-packages")
	img := image(t, v1.Config{Entrypoint: []string{"/venv/bin/python3", "main.py"}, WorkingDir: "/app"},
		distrolessPython(t), venv, app(t))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "command", Pass)
	wantCheck(t, checks, "python-venv", Fail, "venv /venv (runs the command): pyvenv.cfg home = /opt/python/bin: /opt not in image")
}

func TestPythonSitePackagesMinorMismatch(t *testing.T) {
	t.Parallel()
	// A 3.12 venv whose links were repointed at the 3.13 interpreter: the
	// packages under lib/python3.12 are not on 3.13's sys.path.
	venv := newLayer(t).
		text("venv/pyvenv.cfg", "home = /usr/bin\nversion = 3.12.8\n").
		symlink("venv/bin/python", "/usr/bin/python3").symlink("venv/bin/python3", "python").
		text("venv/lib/python3.12/site-packages/flask/__init__.py", "")
	img := image(t, v1.Config{Entrypoint: []string{"/venv/bin/python3", "main.py"}, WorkingDir: "/app"},
		distrolessPython(t), venv, app(t))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "python-venv", Pass)
	wantCheck(t, checks, "python-version", Fail,
		"interpreter is Python 3.13",
		"venv /venv has lib/python3.12/site-packages, which Python 3.13 does not read",
		"/venv/pyvenv.cfg version = 3.12.8")
}

func TestPythonPromisedMinor(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/venv/bin/python3", "main.py"}, WorkingDir: "/app"},
		distrolessPython(t), goodVenv(t), app(t))
	checks := inspectImage(t, img, Expectation{PythonMinor: "3.12"})
	wantCheck(t, checks, "python-version", Fail, "the proposal promised Python 3.12")
}

func TestPythonMain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		cfg    v1.Config
		status CheckStatus
		detail string
	}{
		{"script missing", v1.Config{Entrypoint: []string{"/venv/bin/python3", "server.py"}, WorkingDir: "/app"},
			Fail, "script server.py (relative to WORKDIR /app): /app/server.py: not in image"},
		{"CMD repeats python under the python ENTRYPOINT", v1.Config{Entrypoint: []string{"/usr/bin/python3.13"}, Cmd: []string{"python", "main.py"}, WorkingDir: "/app"},
			Fail, "script python (relative to WORKDIR /app): /app/python: not in image"},
		{"distroless ENTRYPOINT with CMD", v1.Config{Entrypoint: []string{"/usr/bin/python3.13"}, Cmd: []string{"main.py"}, WorkingDir: "/app"},
			Pass, "script main.py is /app/main.py"},
		{"module in the venv", v1.Config{Entrypoint: []string{"/venv/bin/python3", "-u", "-m", "gunicorn", "app:app"}, WorkingDir: "/app"},
			Pass, "-m gunicorn: /venv/lib/python3.13/site-packages/gunicorn/__main__.py"},
		{"module flag joined", v1.Config{Entrypoint: []string{"/venv/bin/python3", "-Bmgunicorn"}, WorkingDir: "/app"},
			Pass, "-m gunicorn:"},
		{"module in the standard library", v1.Config{Entrypoint: []string{"/venv/bin/python3", "-X", "utf8", "-m", "http.server"}, WorkingDir: "/app"},
			Pass, "-m http.server: /usr/lib/python3.13/http/server.py"},
		{"package without __main__", v1.Config{Entrypoint: []string{"/venv/bin/python3", "-m", "flask"}, WorkingDir: "/app"},
			Fail, "-m flask: /venv/lib/python3.13/site-packages/flask is a package without __main__.py"},
		{"module missing", v1.Config{Entrypoint: []string{"/venv/bin/python3", "-m", "uvicorn", "main:app"}, WorkingDir: "/app"},
			Fail, "-m uvicorn: no uvicorn.py or uvicorn/ in /app, /usr/lib/python3.13, /usr/lib/python3.13/lib-dynload, /venv/lib/python3.13/site-packages"},
		{"inline code", v1.Config{Entrypoint: []string{"/venv/bin/python3", "-c", "print(1)"}},
			Pass, "runs inline code (-c)"},
		{"no script", v1.Config{Entrypoint: []string{"/venv/bin/python3"}},
			Fail, "is given no script or -m module"},
		{"console script", v1.Config{Entrypoint: []string{"/venv/bin/gunicorn", "main:app"}, WorkingDir: "/app"},
			Pass, "script /venv/bin/gunicorn is /venv/bin/gunicorn"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			img := image(t, tc.cfg, distrolessPython(t), goodVenv(t), app(t))
			checks := inspectImage(t, img, Expectation{})
			wantCheck(t, checks, "python-main", tc.status, tc.detail)
		})
	}
}

func TestPythonVenvOnPathWithDistrolessEntrypoint(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{
		Entrypoint: []string{"/usr/bin/python3.13"}, Cmd: []string{"main.py"}, WorkingDir: "/app",
		Env: []string{"PATH=/venv/bin:/usr/bin", "PYTHONPATH=/venv/lib/python3.12/site-packages"},
	}, distrolessPython(t), goodVenv(t), app(t))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "python-venv", Pass, "venv /venv (on PATH)")
	wantCheck(t, checks, "python-version", Fail, "PYTHONPATH entry /venv/lib/python3.12/site-packages is for Python 3.12")
}

func TestPythonConsoleScriptShebang(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/venv/bin/gunicorn", "main:app"}, WorkingDir: "/app"},
		distrolessPython(t), goodVenv(t), app(t))
	checks := inspectImage(t, img, Expectation{Runtime: RuntimePython3})
	noFailures(t, checks)
	wantCheck(t, checks, "shebang", Pass, "/venv/bin/gunicorn: #!/venv/bin/python3 resolves to /venv/bin/python3 → python → /usr/bin/python → python3.13")
	wantCheck(t, checks, "python-venv", Pass, "venv /venv (runs the command)")
	wantCheck(t, checks, "runtime", Pass)
}
