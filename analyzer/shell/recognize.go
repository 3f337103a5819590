package shell

import (
	"path"
	"regexp"
	"strings"
)

// AptInstall describes an `apt-get install` / `apt install` command.
type AptInstall struct {
	Cmd              *Command
	Packages         []string
	NoRecommends     bool // --no-install-recommends or APT::Install-Recommends=false
	AssumeYes        bool
	VersionedPinned  bool // some package is pinned with pkg=version
	ExplicitlyUpdate bool
}

// AptInstalls returns every apt-get/apt install in the script.
func (s *Script) AptInstalls() []AptInstall {
	var out []AptInstall
	for _, c := range s.Commands {
		if !c.Is("apt-get", "apt") {
			continue
		}
		pos := c.Positionals("-o", "-t", "--target-release", "-c")
		if len(pos) == 0 || pos[0] != "install" {
			continue
		}
		ai := AptInstall{Cmd: c, Packages: pos[1:]}
		for i, a := range c.Args {
			switch {
			case a == "--no-install-recommends":
				ai.NoRecommends = true
			case a == "-y" || a == "--yes" || a == "-yq" || a == "-qy" || a == "--assume-yes":
				ai.AssumeYes = true
			case a == "-o" && i+1 < len(c.Args) && strings.EqualFold(c.Args[i+1], "APT::Install-Recommends=false"):
				ai.NoRecommends = true
			case strings.EqualFold(a, "-oAPT::Install-Recommends=false"):
				ai.NoRecommends = true
			}
		}
		for _, p := range ai.Packages {
			if strings.Contains(p, "=") {
				ai.VersionedPinned = true
			}
		}
		out = append(out, ai)
	}
	return out
}

// CleansAptLists reports whether the script removes /var/lib/apt/lists.
func (s *Script) CleansAptLists() bool {
	for _, c := range s.Commands {
		if c.Is("rm") {
			for _, a := range c.Args {
				if strings.HasPrefix(a, "/var/lib/apt/lists") {
					return true
				}
			}
		}
	}
	return false
}

// PipInstall describes a pip install (pip, pip3, python -m pip, uv pip).
type PipInstall struct {
	Cmd          *Command
	Requirements []string // -r files
	Packages     []string // named packages and paths (".", "./pkg", wheels)
	NoCacheDir   bool
	Target       string // --target
	Prefix       string // --prefix
	User         bool   // --user
	Editable     bool
	// Interpreter is the pip or python program used ("pip", "/venv/bin/pip",
	// "python3"), which tells where packages go.
	Interpreter string
	UV          bool
}

var pythonName = regexp.MustCompile(`^python(\d(\.\d+)?)?$`)
var pipName = regexp.MustCompile(`^pip(\d(\.\d+)?)?$`)

// PipInstalls returns every pip install in the script.
func (s *Script) PipInstalls() []PipInstall {
	var out []PipInstall
	for _, c := range s.Commands {
		args := c.Args
		base := c.Base()
		var pi PipInstall
		switch {
		case pipName.MatchString(base):
			pi.Interpreter = c.Name
		case pythonName.MatchString(base) && len(args) >= 2 && args[0] == "-m" && (args[1] == "pip" || pipName.MatchString(args[1])):
			pi.Interpreter = c.Name
			args = args[2:]
		case base == "uv" && len(args) >= 1 && args[0] == "pip":
			pi.Interpreter = c.Name
			pi.UV = true
			args = args[1:]
		default:
			continue
		}
		if len(args) == 0 || args[0] != "install" {
			continue
		}
		pi.Cmd = c
		args = args[1:]
		for i := 0; i < len(args); i++ {
			a := args[i]
			next := func() string {
				if i+1 < len(args) {
					i++
					return args[i]
				}
				return ""
			}
			switch {
			case a == "-r" || a == "--requirement":
				pi.Requirements = append(pi.Requirements, next())
			case strings.HasPrefix(a, "--requirement="):
				pi.Requirements = append(pi.Requirements, strings.TrimPrefix(a, "--requirement="))
			case strings.HasPrefix(a, "-r") && len(a) > 2:
				pi.Requirements = append(pi.Requirements, a[2:])
			case a == "--no-cache-dir":
				pi.NoCacheDir = true
			case a == "-t" || a == "--target":
				pi.Target = next()
			case strings.HasPrefix(a, "--target="):
				pi.Target = strings.TrimPrefix(a, "--target=")
			case a == "--prefix":
				pi.Prefix = next()
			case strings.HasPrefix(a, "--prefix="):
				pi.Prefix = strings.TrimPrefix(a, "--prefix=")
			case a == "--user":
				pi.User = true
			case a == "-e" || a == "--editable":
				pi.Editable = true
				pi.Packages = append(pi.Packages, next())
			case a == "-c" || a == "--constraint" || a == "-i" || a == "--index-url" || a == "--extra-index-url" || a == "-f" || a == "--find-links" || a == "--trusted-host" || a == "--python" || a == "--platform":
				next()
			case strings.HasPrefix(a, "-"):
			default:
				pi.Packages = append(pi.Packages, a)
			}
		}
		out = append(out, pi)
	}
	return out
}

// GoBuild describes a `go build` or `go install`.
type GoBuild struct {
	Cmd     *Command
	Install bool
	Output  string // -o
	Tags    string
	Ldflags string
	// CgoEnabled is the CGO_ENABLED value the command sees ("" when unset:
	// cgo is then on whenever a C compiler is present).
	CgoEnabled string
	GOOS       string
	GOARCH     string
	Packages   []string
}

// GoBuilds returns every go build / go install in the script.
func (s *Script) GoBuilds() []GoBuild {
	var out []GoBuild
	for _, c := range s.Commands {
		if !c.Is("go") || len(c.Args) == 0 || (c.Args[0] != "build" && c.Args[0] != "install") {
			continue
		}
		gb := GoBuild{Cmd: c, Install: c.Args[0] == "install"}
		args := c.Args[1:]
		for i := 0; i < len(args); i++ {
			a := args[i]
			val := func(name string) (string, bool) {
				if a == name || a == "-"+name {
					if i+1 < len(args) {
						i++
						return args[i], true
					}
					return "", true
				}
				for _, p := range []string{name + "=", "-" + name + "="} {
					if strings.HasPrefix(a, p) {
						return a[len(p):], true
					}
				}
				return "", false
			}
			if v, ok := val("-o"); ok {
				gb.Output = v
				continue
			}
			if v, ok := val("-tags"); ok {
				gb.Tags = v
				continue
			}
			if v, ok := val("-ldflags"); ok {
				gb.Ldflags = v
				continue
			}
			if v, ok := val("-gcflags"); ok {
				_ = v
				continue
			}
			if strings.HasPrefix(a, "-") {
				continue
			}
			gb.Packages = append(gb.Packages, a)
		}
		gb.CgoEnabled, _ = c.Getenv("CGO_ENABLED")
		gb.GOOS, _ = c.Getenv("GOOS")
		gb.GOARCH, _ = c.Getenv("GOARCH")
		out = append(out, gb)
	}
	return out
}

// PackageInstall describes an npm, yarn or pnpm dependency install.
type PackageInstall struct {
	Cmd      *Command
	Tool     string // npm, yarn, pnpm
	CI       bool   // npm ci, yarn --frozen-lockfile/--immutable, pnpm --frozen-lockfile
	ProdOnly bool   // --omit=dev, --production, --prod, --only=production
	// Packages are explicitly named packages (npm install express): those
	// are additions, not a lockfile install.
	Packages []string
	Global   bool
}

// NodeInstalls returns every npm/yarn/pnpm install in the script.
func (s *Script) NodeInstalls() []PackageInstall {
	var out []PackageInstall
	for _, c := range s.Commands {
		tool := c.Base()
		args := c.Args
		if tool == "corepack" && len(args) > 0 {
			tool, args = args[0], args[1:]
		}
		var pi PackageInstall
		switch tool {
		case "npm":
			if len(args) == 0 {
				continue
			}
			switch args[0] {
			case "ci", "clean-install":
				pi.CI = true
			case "install", "i", "add":
			default:
				continue
			}
		case "yarn":
			if len(args) > 0 && args[0] != "install" && !strings.HasPrefix(args[0], "-") {
				if args[0] != "add" {
					continue
				}
			}
		case "pnpm":
			if len(args) == 0 || (args[0] != "install" && args[0] != "i" && args[0] != "add") {
				continue
			}
		default:
			continue
		}
		pi.Cmd, pi.Tool = c, tool
		rest := args
		if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			rest = rest[1:]
		}
		for _, a := range rest {
			switch {
			case a == "--omit=dev" || a == "--production" || a == "--prod" || a == "-P" || a == "--only=production" || a == "--only=prod":
				pi.ProdOnly = true
			case a == "--omit":
			case a == "--frozen-lockfile" || a == "--immutable":
				pi.CI = true
			case a == "-g" || a == "--global":
				pi.Global = true
			case strings.HasPrefix(a, "-"):
			default:
				pi.Packages = append(pi.Packages, a)
			}
		}
		if v, ok := c.Flag("--omit"); ok && v == "dev" {
			pi.ProdOnly = true
		}
		if env, ok := c.Getenv("NODE_ENV"); ok && env == "production" {
			pi.ProdOnly = true
		}
		out = append(out, pi)
	}
	return out
}

// IsShellWrapper reports whether a program name is a POSIX shell.
func IsShellWrapper(name string) bool {
	switch path.Base(name) {
	case "sh", "bash", "dash", "ash", "zsh", "ksh":
		return true
	}
	return false
}
