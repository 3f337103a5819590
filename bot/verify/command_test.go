package verify

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestCommandResolution(t *testing.T) {
	t.Parallel()
	bin := staticBinary(t)
	cases := []struct {
		name   string
		cfg    v1.Config
		files  func(l *layer)
		status CheckStatus
		detail []string
	}{
		{
			name:   "no command",
			cfg:    v1.Config{},
			files:  func(l *layer) {},
			status: Fail,
			detail: []string{"no ENTRYPOINT or CMD"},
		},
		{
			name:   "absolute path missing",
			cfg:    v1.Config{Entrypoint: []string{"/app"}},
			files:  func(l *layer) { l.exe("other", bin) },
			status: Fail,
			detail: []string{"ENTRYPOINT /app: not in image"},
		},
		{
			name:   "CMD relative to WORKDIR",
			cfg:    v1.Config{Cmd: []string{"./myapp"}, WorkingDir: "/srv"},
			files:  func(l *layer) { l.exe("srv/myapp", bin) },
			status: Pass,
			detail: []string{"CMD ./myapp resolves to /srv/myapp (ELF, static)"},
		},
		{
			name:   "CMD relative to WORKDIR, missing",
			cfg:    v1.Config{Cmd: []string{"./myapp"}, WorkingDir: "/home/nonroot"},
			files:  func(l *layer) { l.dir("home").dir("home/nonroot").exe("myapp", bin) },
			status: Fail,
			detail: []string{"CMD ./myapp (relative to WORKDIR /home/nonroot): /home/nonroot/myapp: not in image"},
		},
		{
			name:   "found on PATH",
			cfg:    v1.Config{Cmd: []string{"app", "--flag"}, Env: []string{"PATH=/opt/bin:/usr/local/bin"}},
			files:  func(l *layer) { l.exe("usr/local/bin/app", bin) },
			status: Pass,
			detail: []string{"CMD app found on PATH at /usr/local/bin/app (ELF, static)"},
		},
		{
			name:   "default PATH when the image sets none",
			cfg:    v1.Config{Cmd: []string{"app"}},
			files:  func(l *layer) { l.exe("usr/bin/app", bin) },
			status: Pass,
			detail: []string{"found on PATH at /usr/bin/app"},
		},
		{
			name:   "not on PATH",
			cfg:    v1.Config{Cmd: []string{"node", "server.js"}, Env: []string{"PATH=/usr/bin:/bin"}},
			files:  func(l *layer) { l.exe("nodejs/bin/node", bin) },
			status: Fail,
			detail: []string{"CMD node not found on PATH /usr/bin:/bin"},
		},
		{
			name:   "on PATH but not executable",
			cfg:    v1.Config{Cmd: []string{"app"}, Env: []string{"PATH=/usr/bin"}},
			files:  func(l *layer) { l.file("usr/bin/app", 0o644, bin) },
			status: Fail,
			detail: []string{"not found on PATH /usr/bin (/usr/bin/app exists but is not executable by uid 0)"},
		},
		{
			name:   "not executable",
			cfg:    v1.Config{Entrypoint: []string{"/app"}},
			files:  func(l *layer) { l.file("app", 0o644, bin) },
			status: Fail,
			detail: []string{"/app is not executable by uid 0 (mode 0644"},
		},
		{
			name:   "owner-only executable for another user",
			cfg:    v1.Config{Entrypoint: []string{"/app"}, User: "65532"},
			files:  func(l *layer) { l.ownedFile("app", 0o700, 0, 0, bin) },
			status: Fail,
			detail: []string{"/app is not executable by uid 65532 (mode 0700, owner 0:0)"},
		},
		{
			name:   "owner-only executable for its owner",
			cfg:    v1.Config{Entrypoint: []string{"/app"}, User: "65532"},
			files:  func(l *layer) { l.ownedFile("app", 0o700, 65532, 65532, bin) },
			status: Pass,
			detail: []string{"ENTRYPOINT /app resolves to /app"},
		},
		{
			name:   "directory",
			cfg:    v1.Config{Entrypoint: []string{"/app"}},
			files:  func(l *layer) { l.dir("app") },
			status: Fail,
			detail: []string{"/app is a directory"},
		},
		{
			name:   "neither ELF nor script",
			cfg:    v1.Config{Entrypoint: []string{"/app"}},
			files:  func(l *layer) { l.exe("app", []byte("MZ\x90\x00 a windows binary")) },
			status: Fail,
			detail: []string{"/app is neither ELF nor a #! script (exec format error)"},
		},
		{
			name:   "empty file",
			cfg:    v1.Config{Entrypoint: []string{"/app"}},
			files:  func(l *layer) { l.exe("app", nil) },
			status: Fail,
			detail: []string{"/app is empty"},
		},
		{
			name:   "shell form ENTRYPOINT without a shell",
			cfg:    v1.Config{Entrypoint: []string{"/bin/sh", "-c", "/app"}},
			files:  func(l *layer) { l.exe("app", bin) },
			status: Fail,
			detail: []string{"ENTRYPOINT /bin/sh: /bin not in image"},
		},
		{
			name:   "ENTRYPOINT and CMD combine",
			cfg:    v1.Config{Entrypoint: []string{"/app"}, Cmd: []string{"serve"}},
			files:  func(l *layer) { l.exe("app", bin) },
			status: Pass,
			detail: []string{"ENTRYPOINT /app resolves to /app"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLayer(t)
			tc.files(l)
			checks := inspectImage(t, image(t, tc.cfg, l), Expectation{})
			wantCheck(t, checks, "command", tc.status, tc.detail...)
		})
	}
}

func TestShebangs(t *testing.T) {
	t.Parallel()
	bin := staticBinary(t)
	cases := []struct {
		name    string
		cfg     v1.Config
		files   func(l *layer)
		command CheckStatus
		shebang CheckStatus
		detail  []string
	}{
		{
			name:    "interpreter missing",
			cfg:     v1.Config{Entrypoint: []string{"/app/start.sh"}},
			files:   func(l *layer) { l.exe("app/start.sh", []byte("#!/bin/sh\nexec /app/server\n")) },
			command: Fail,
			shebang: Fail,
			detail:  []string{"/app/start.sh: #!/bin/sh: /bin/sh: /bin not in image"},
		},
		{
			name: "interpreter present",
			cfg:  v1.Config{Entrypoint: []string{"/app/run"}},
			files: func(l *layer) {
				l.exe("app/run", []byte("#!/usr/bin/python3.13 -u\nprint('hi')\n")).exe("usr/bin/python3.13", bin)
			},
			command: Pass,
			shebang: Pass,
			detail:  []string{"/app/run: #!/usr/bin/python3.13 -u resolves to /usr/bin/python3.13 (ELF, static)"},
		},
		{
			name: "env finds the program on PATH",
			cfg:  v1.Config{Entrypoint: []string{"/app/cli"}, Env: []string{"PATH=/usr/bin:/nodejs/bin"}},
			files: func(l *layer) {
				l.exe("app/cli", []byte("#!/usr/bin/env node\nconsole.log(1)\n")).exe("usr/bin/env", bin).exe("nodejs/bin/node", bin)
			},
			command: Pass,
			shebang: Pass,
			detail:  []string{"/app/cli: #!/usr/bin/env node: /usr/bin/env finds node on PATH at /nodejs/bin/node (ELF, static)"},
		},
		{
			name: "env without the program",
			cfg:  v1.Config{Entrypoint: []string{"/app/cli"}, Env: []string{"PATH=/usr/bin"}},
			files: func(l *layer) {
				l.exe("app/cli", []byte("#!/usr/bin/env node\n")).exe("usr/bin/env", bin).exe("nodejs/bin/node", bin)
			},
			command: Fail,
			shebang: Fail,
			detail:  []string{"/app/cli: #!/usr/bin/env node: node not found on PATH /usr/bin"},
		},
		{
			name:    "env itself missing",
			cfg:     v1.Config{Entrypoint: []string{"/app/cli"}},
			files:   func(l *layer) { l.exe("app/cli", []byte("#!/usr/bin/env python3\n")).exe("usr/bin/python3", bin) },
			command: Fail,
			shebang: Fail,
			detail:  []string{"/app/cli: #!/usr/bin/env python3: /usr/bin/env: not in image"},
		},
		{
			name: "env -S splits its argument",
			cfg:  v1.Config{Entrypoint: []string{"/app/cli"}, Env: []string{"PATH=/bin"}},
			files: func(l *layer) {
				l.exe("app/cli", []byte("#!/usr/bin/env -S node --max-old-space-size=512\n")).exe("usr/bin/env", bin).exe("bin/node", bin)
			},
			command: Pass,
			shebang: Pass,
			detail:  []string{"finds node on PATH at /bin/node"},
		},
		{
			name: "nested interpreters",
			cfg:  v1.Config{Entrypoint: []string{"/a"}},
			files: func(l *layer) {
				l.exe("a", []byte("#!/b\n")).exe("b", []byte("#!/c\n")).exe("c", bin)
			},
			command: Pass,
			shebang: Pass,
			detail:  []string{"/b: #!/c resolves to /c (ELF, static)"},
		},
		{
			name: "interpreter loop",
			cfg:  v1.Config{Entrypoint: []string{"/a"}},
			files: func(l *layer) {
				l.exe("a", []byte("#!/b\n")).exe("b", []byte("#!/a\n"))
			},
			command: Fail,
			shebang: Fail,
			detail:  []string{"more than 4 nested #! interpreters"},
		},
		{
			name:    "unreadable script for a non-root user",
			cfg:     v1.Config{Entrypoint: []string{"/app/run"}, User: "1000"},
			files:   func(l *layer) { l.file("app/run", 0o711, []byte("#!/bin/x\n")).exe("bin/x", bin) },
			command: Fail,
			detail:  []string{"its interpreter cannot read as uid 1000"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLayer(t)
			tc.files(l)
			checks := inspectImage(t, image(t, tc.cfg, l), Expectation{})
			wantCheck(t, checks, "command", tc.command)
			if tc.shebang != "" {
				wantCheck(t, checks, "shebang", tc.shebang, tc.detail...)
			} else {
				wantCheck(t, checks, "command", tc.command, tc.detail...)
			}
		})
	}
}

func TestParseShebang(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, interp, arg, problem string
	}{
		{"#!/bin/sh\n", "/bin/sh", "", ""},
		{"#! /usr/bin/env  node \r\n", "/usr/bin/env", "node", ""},
		{"#!/usr/bin/python3 -u -W ignore\n", "/usr/bin/python3", "-u -W ignore", ""},
		{"#!/bin/x\targ\n", "/bin/x", "arg", ""},
		{"#!\n", "", "", "empty #! line"},
	}
	for _, tc := range cases {
		b, problem := parseShebang([]byte(tc.in))
		if problem != tc.problem {
			t.Errorf("parseShebang(%q) problem = %q, want %q", tc.in, problem, tc.problem)
			continue
		}
		if problem == "" && (b.interp != tc.interp || b.arg != tc.arg) {
			t.Errorf("parseShebang(%q) = %q %q, want %q %q", tc.in, b.interp, b.arg, tc.interp, tc.arg)
		}
	}
	long := make([]byte, binprmBufSize)
	copy(long, "#!/")
	for i := 3; i < len(long); i++ {
		long[i] = 'a'
	}
	if _, problem := parseShebang(long); problem == "" {
		t.Error("a #! line without a newline in the first 256 bytes was accepted")
	}
}
