package verify

import (
	"context"
	"fmt"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// InspectOptions tunes InspectImage.
type InspectOptions struct {
	// TempDir holds the spool of file contents ("" = the system default).
	TempDir string
	// Limits bounds the bytes and entries read from the layers.
	Limits FSLimits
}

// InspectImage proves, without running it, that img can start: it merges
// the layers into a filesystem view and checks the command, its loader and
// libraries, its interpreters and language runtime, the user and the shell.
// The error is for images that cannot be read at all (a broken layer, a
// limit exceeded); everything about the image's contents is a Check.
func InspectImage(ctx context.Context, img v1.Image, exp Expectation, opts InspectOptions) ([]Check, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading image config: %w", err)
	}
	fsys, err := loadImageFS(ctx, img, opts.TempDir, opts.Limits)
	if err != nil {
		return nil, fmt.Errorf("reading image filesystem: %w", err)
	}
	defer fsys.Close()
	return inspectFS(ctx, fsys, cf, exp), nil
}

// defaultPath is what Docker and containerd give a container whose image
// sets no PATH.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// inspection is the state shared by the checks on one image.
type inspection struct {
	ctx    context.Context
	fs     *imageFS
	cfg    v1.Config
	arch   string // image architecture from the config ("" if unset)
	exp    Expectation
	cwd    string
	user   userInfo
	elfs   map[string]elfResult // real path → parsed ELF
	checks []Check
}

type elfResult struct {
	info *elfInfo
	err  error
}

func inspectFS(ctx context.Context, fsys *imageFS, cf *v1.ConfigFile, exp Expectation) []Check {
	in := &inspection{
		ctx:  ctx,
		fs:   fsys,
		cfg:  cf.Config,
		arch: cf.Architecture,
		exp:  exp,
		cwd:  cf.Config.WorkingDir,
		elfs: map[string]elfResult{},
	}
	if in.cwd == "" {
		in.cwd = "/"
	} else if !strings.HasPrefix(in.cwd, "/") {
		in.cwd = path.Join("/", in.cwd)
	}
	in.user = in.resolveUser()

	ch := in.checkCommand()
	for _, st := range ch.steps {
		if st.elf != nil {
			in.checkELF(st)
		}
	}
	if prog := ch.program(); prog != nil {
		switch languageOf(prog) {
		case langPython:
			in.checkPython(prog)
		case langNode:
			in.checkNode(prog)
		case langJava:
			in.checkJava(prog)
		}
	}
	if exp.Runtime != "" {
		in.checkRuntime(ch)
	}
	in.userChecks()
	if exp.Distroless {
		in.checkNoShell()
	}
	return in.checks
}

func (in *inspection) add(name string, st CheckStatus, subject, format string, args ...any) {
	in.checks = append(in.checks, Check{Name: name, Status: st, Subject: subject, Detail: fmt.Sprintf(format, args...)})
}

// getenv returns the last value of key in the image environment.
func (in *inspection) getenv(key string) (string, bool) {
	val, ok := "", false
	for _, kv := range in.cfg.Env {
		if k, v, found := strings.Cut(kv, "="); found && k == key {
			val, ok = v, true
		}
	}
	return val, ok
}

// pathDirs is PATH as the container sees it.
func (in *inspection) pathDirs() []string {
	p, ok := in.getenv("PATH")
	if !ok {
		p = defaultPath
	}
	return strings.Split(p, ":")
}

// elfAt parses the ELF at a resolved path once.
func (in *inspection) elfAt(r resolved) (*elfInfo, error) {
	if res, ok := in.elfs[r.Real]; ok {
		return res.info, res.err
	}
	info, err := readELF(in.fs.open(r.Node))
	in.elfs[r.Real] = elfResult{info, err}
	return info, err
}

// hasELFMagic reports whether a file starts like an ELF object.
func (in *inspection) hasELFMagic(n *node) bool {
	head, err := in.fs.readHead(n, 4)
	return err == nil && string(head) == "\x7fELF"
}
