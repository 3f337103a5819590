package convert

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Artifact is a file a build stage produces (a compiled binary).
type Artifact struct {
	Stage *dockerfile.Stage
	// Path is the absolute path of the file in Stage.
	Path string
	// Run is the command that builds it.
	Run analysis.RunCommand
}

// WorkdirAt returns the working directory in effect at an instruction of a
// stage (through the stage's FROM chain); "/" when none is set.
func (in *Input) WorkdirAt(st *dockerfile.Stage, at *dockerfile.Instruction) string {
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := st; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	wd := "/"
	for _, s := range chain {
		for _, ins := range s.Instructions {
			if at != nil && ins == at {
				return wd
			}
			if ins.Kind == dockerfile.KindWorkdir {
				wd = joinWorkdir(wd, ins.Value)
			}
		}
	}
	return wd
}

// pathDirs are where a bare program name is looked up in the images
// distill converts (the official images' PATH).
var pathDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/go/bin", "/usr/local/go/bin", "/usr/local/cargo/bin"}

// ProgramPath resolves the program a container runs to absolute candidate
// paths: absolute as is, relative to WORKDIR, bare names through PATH.
func ProgramPath(workdir, prog string) []string {
	switch {
	case strings.HasPrefix(prog, "/"):
		return []string{path.Clean(prog)}
	case strings.Contains(prog, "/"):
		return []string{Absolute(workdir, prog)}
	}
	out := make([]string, 0, len(pathDirs))
	for _, d := range pathDirs {
		out = append(out, path.Join(d, prog))
	}
	return out
}

// Located is where the shipped image's program comes from.
type Located struct {
	Artifact Artifact
	// Copy is the COPY --from in the shipped chain that brings it in, nil
	// when the program is built in the shipped chain itself.
	Copy *dockerfile.Instruction
	// ImagePath is the program's path in the shipped image.
	ImagePath string
}

// LocateProgram finds which artifact the image runs: one built in the
// shipped chain at the program's path, or one COPY'd into it from a build
// stage.
func (in *Input) LocateProgram(prog string, workdir string, artifacts []Artifact) (*Located, bool) {
	candidates := ProgramPath(workdir, prog)
	inChain := map[*dockerfile.Stage]bool{}
	for _, s := range in.Chain {
		inChain[s] = true
	}
	for _, c := range candidates {
		for _, a := range artifacts {
			if inChain[a.Stage] && a.Path == c {
				return &Located{Artifact: a, ImagePath: c}, true
			}
		}
	}
	// COPY --from=<stage> src dst in the chain.
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy) {
			if ins.Copy.From == "" {
				continue
			}
			src := in.File.Stage(ins.Copy.From)
			if src == nil {
				continue
			}
			wd := in.WorkdirAt(st, ins)
			for _, s := range ins.Copy.Sources {
				srcPath := Absolute(in.WorkdirAt(src, nil), s)
				dst := Absolute(wd, ins.Copy.Dest)
				if strings.HasSuffix(ins.Copy.Dest, "/") || len(ins.Copy.Sources) > 1 || ins.Copy.Dest == "." {
					dst = path.Join(dst, path.Base(srcPath))
				}
				for _, c := range candidates {
					if c != dst {
						continue
					}
					for _, a := range artifacts {
						if a.Stage == src && (a.Path == srcPath || path.Dir(a.Path) == srcPath) {
							return &Located{Artifact: a, Copy: ins, ImagePath: c}, true
						}
					}
				}
			}
		}
	}
	return nil, false
}

// RemovableRun reports whether a RUN in the shipped stage only does what a
// distroless image already provides (CA certificates, time zones) or what
// the nonroot tag replaces (creating a user), so it can be dropped.
func (in *Input) RemovableRun(ins *dockerfile.Instruction) bool {
	return in.RemovableRunWith(ins, nil)
}

// RemovableRunWith is RemovableRun where extra reports further packages the
// recipe knows to be unnecessary (curl used only by HEALTHCHECK).
func (in *Input) RemovableRunWith(ins *dockerfile.Instruction, extra func(pkg string) bool) bool {
	ok := func(pkg string) bool { return in.Catalog.InDistroless(pkg) || (extra != nil && extra(pkg)) }
	s := in.Script(ins)
	if s == nil || len(s.Commands) == 0 {
		return false
	}
	for _, c := range s.Commands {
		switch {
		case c.Is("apk") && len(c.Args) > 0 && (c.Args[0] == "add" || c.Args[0] == "update" || c.Args[0] == "--no-cache"):
			for _, p := range c.Positionals() {
				if p != "add" && p != "update" && !ok(p) {
					return false
				}
			}
		case c.Is("apt-get", "apt"):
			pos := c.Positionals("-o")
			if len(pos) == 0 {
				return false
			}
			switch pos[0] {
			case "update", "clean", "autoclean":
			case "install":
				for _, p := range pos[1:] {
					if !ok(p) {
						return false
					}
				}
			default:
				return false
			}
		case c.Is("rm") && len(c.Args) > 0 && strings.Contains(strings.Join(c.Args, " "), "/var/lib/apt/lists"):
		case c.Is("rm") && len(c.Args) > 0 && strings.Contains(strings.Join(c.Args, " "), "/var/cache/apk"):
		case c.Is("update-ca-certificates", "adduser", "addgroup", "useradd", "groupadd", "set", "true"):
		default:
			return false
		}
	}
	return true
}

// BinaryFinal assembles the final stage of an image that runs one native
// binary: it places the program, carries the runtime over and converts the
// command to exec form. It returns the rendered result.
type BinarySpec struct {
	// Image is the distroless reference.
	Image string
	// Located is the program and where it comes from.
	Located *Located
	// Program is the original command.
	Program *Program
	// ExtraCopies are additional COPY lines (runtime files).
	ExtraCopies []string
	// RemovablePackage reports packages installed in the shipped stage
	// that the converted image does not need (beyond those distroless
	// already has).
	RemovablePackage func(pkg string) bool
}

// ConvertBinary finishes a conversion for a native binary: in place when
// the shipped stage only assembles files, otherwise by splitting it into a
// build stage plus a distroless stage.
func (p *Plan) ConvertBinary(spec BinarySpec) (*Result, error) {
	in, t := p.In, p.In.Target
	inPlace := spec.Located.Copy != nil && len(in.Chain) == 1
	var removable []*dockerfile.Instruction
	for _, ins := range t.Instructions {
		switch ins.Kind {
		case dockerfile.KindRun:
			if in.RemovableRunWith(ins, spec.RemovablePackage) {
				removable = append(removable, ins)
			} else {
				inPlace = false
			}
		case dockerfile.KindShell, dockerfile.KindOnbuild:
			inPlace = false
		case dockerfile.KindAdd:
			inPlace = false
		}
	}
	if inPlace && in.Options.NonRoot && !VolumesPrepared(in, p.Runtime.Volumes) {
		inPlace = false // writable directories must be prepared in a build stage
	}
	if p.Runtime.Shell != nil {
		p.Note(Change, "SHELL %s is not carried over: distroless has no shell", strings.Join(p.Runtime.Shell.Exec.Args, " "))
	}
	moved, decline := p.MovePrivilegedPorts(inPlace)
	if decline != nil {
		return decline, nil
	}
	if old, arg, ok := PortInArgs(moved, spec.Program.Argv()); ok {
		return declinePortArg(old, arg), nil
	}
	if inPlace {
		return p.binaryInPlace(spec, removable)
	}
	if len(removable) == len(t.All(dockerfile.KindRun)) {
		// The shipped stage only installed what distroless already has:
		// as a build stage it needs none of it.
		for _, ins := range removable {
			p.Editor.Delete(ins)
		}
	}
	return p.binarySplit(spec)
}

func (p *Plan) binaryInPlace(spec BinarySpec, removable []*dockerfile.Instruction) (*Result, error) {
	in, t, ed := p.In, p.In.Target, p.Editor
	p.InPlace = true
	ed.Replace(t.From, p.fromLine(t.From, spec.Image, t.From.From.Name))
	if old := t.Base.Familiar(); old != spec.Image {
		p.Note(Change, "the shipped stage runs on %s instead of %s", spec.Image, old)
	}
	for _, ins := range removable {
		ed.Delete(ins)
		p.Note(Change, "removed `%s`: distroless already has CA certificates and time zones, and its nonroot user replaces a created one", truncate(strings.TrimSpace(ins.Original), 70))
	}
	fs := p.FinalStage(spec.Image) // for notes about users and ports
	for _, ins := range t.Instructions {
		switch ins.Kind {
		case dockerfile.KindUser:
			switch {
			case p.Runtime.NumericNonRootUser() && ins == p.Runtime.UserInstr:
			case in.Options.NonRoot:
				ed.Delete(ins)
			}
		case dockerfile.KindCmd, dockerfile.KindEntrypoint:
			if ins.Exec.Shell {
				ed.Delete(ins)
			}
		case dockerfile.KindHealthcheck:
			line, note := in.ConvertHealthcheck(ins, HealthProbe{}, func(pth string) bool { return pth == spec.Located.ImagePath })
			p.EditHealthcheck(ins, line, note)
		}
	}
	// A bare program name found through a PATH entry distroless does not
	// have (/go/bin) must become an absolute path.
	if prog := spec.Program.WithProgramPath(spec.Located.ImagePath); prog != spec.Program {
		spec.Program = prog
		for _, ins := range []*dockerfile.Instruction{p.Runtime.Entrypoint, p.Runtime.Cmd} {
			if ins != nil && !ins.Exec.Shell && ins == p.programInstr() {
				words := prog.Cmd
				if ins.Kind == dockerfile.KindEntrypoint {
					words = prog.Entrypoint
				}
				ed.Replace(ins, Keyword(in.File, string(ins.Kind))+" "+ExecForm(words))
			}
		}
	}
	// Re-emit a shell-form command in exec form at the end of the stage.
	var tail []string
	kw := func(k string) string { return Keyword(in.File, k) }
	if rt := p.Runtime; rt.Entrypoint != nil && rt.Entrypoint.Exec.Shell {
		tail = append(tail, kw("ENTRYPOINT")+" "+ExecForm(spec.Program.Entrypoint))
	}
	if rt := p.Runtime; rt.Cmd != nil && rt.Cmd.Exec.Shell && !(rt.Entrypoint != nil && rt.Entrypoint.Exec.Shell) {
		tail = append(tail, kw("CMD")+" "+ExecForm(spec.Program.Cmd))
	}
	if len(tail) > 0 {
		ed.InsertAfter(t.Instructions[len(t.Instructions)-1], strings.Join(tail, "\n"))
		p.Note(Change, "the command is now in exec form: distroless has no /bin/sh")
	}
	p.notePrograms(spec.Program)
	_ = fs // FinalStage recorded the user and port notes
	return p.Text(spec.Image)
}

func (p *Plan) binarySplit(spec BinarySpec) (*Result, error) {
	in := p.In
	p.Split(p.TargetImage)
	fs := p.FinalStage(spec.Image)
	src := spec.Located.Artifact
	from := p.BuilderRef
	srcPath := spec.Located.ImagePath
	if spec.Located.Copy != nil {
		// The chain copied it from a build stage: copy straight from there.
		from = src.Stage.Ref()
		srcPath = src.Path
	}
	fs.Copies = append(fs.Copies, fmt.Sprintf("%s --from=%s %s %s", Keyword(in.File, "COPY"), from, srcPath, spec.Located.ImagePath))
	fs.Copies = append(fs.Copies, spec.ExtraCopies...)
	if in.Options.NonRoot {
		for _, v := range p.Runtime.Volumes {
			p.Editor.InsertAfter(in.Target.Instructions[len(in.Target.Instructions)-1], fmt.Sprintf("%s mkdir -p %s", Keyword(in.File, "RUN"), v))
			fs.Copies = append(fs.Copies, fmt.Sprintf("%s --from=%s --chown=65532:65532 %s %s", Keyword(in.File, "COPY"), p.BuilderRef, v, v))
		}
	}
	if line, note := in.ConvertHealthcheck(p.Runtime.Healthcheck, HealthProbe{}, func(pth string) bool { return pth == spec.Located.ImagePath }); line != "" || note != nil {
		fs.Healthcheck = line
		if note != nil {
			p.Notes = append(p.Notes, *note)
		}
	}
	prog := spec.Program.WithProgramPath(spec.Located.ImagePath)
	if prog.FromEntrypoint {
		fs.Entrypoint = prog.Entrypoint
		if len(prog.Cmd) > 0 {
			fs.Cmd = prog.Cmd
		}
	} else {
		fs.Cmd = prog.Cmd
	}
	p.notePrograms(prog)
	return p.Finish(fs)
}

// notePrograms adds the notes about the command's form.
func (p *Plan) notePrograms(prog *Program) {
	if len(prog.Substituted) > 0 {
		p.Note(Behavior, "the command used $%s; exec form does not expand variables, so the ENV default value is written into the command and overriding %s at run time no longer changes it — have the application read it instead",
			strings.Join(prog.Substituted, ", $"), strings.Join(prog.Substituted, ", "))
	}
}

// EnvAt returns the ENV and ARG values set in a stage (and its FROM chain)
// before an instruction.
func EnvAt(st *dockerfile.Stage, at *dockerfile.Instruction) map[string]string {
	return analysis.Env(st, at)
}

// distrolessPath is the PATH of every distroless image.
var distrolessPath = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// WithProgramPath returns the program with argv[0] replaced by its absolute
// path when the original named it bare and found it through a PATH entry
// that distroless images do not have; otherwise p itself.
func (p *Program) WithProgramPath(imagePath string) *Program {
	argv := p.Argv()
	if len(argv) == 0 || strings.Contains(argv[0], "/") {
		return p
	}
	dir := path.Dir(imagePath)
	for _, d := range distrolessPath {
		if d == dir {
			return p
		}
	}
	q := *p
	if len(q.Entrypoint) > 0 {
		q.Entrypoint = append([]string{imagePath}, q.Entrypoint[1:]...)
	} else {
		q.Cmd = append([]string{imagePath}, q.Cmd[1:]...)
	}
	return &q
}

// programInstr returns the instruction whose first word is the program.
func (p *Plan) programInstr() *dockerfile.Instruction {
	if p.Runtime.Entrypoint != nil {
		return p.Runtime.Entrypoint
	}
	return p.Runtime.Cmd
}

// VolumesPrepared reports whether every VOLUME directory is already copied
// into the shipped stage owned by the nonroot user.
func VolumesPrepared(in *Input, vols []string) bool {
	for _, v := range vols {
		ok := false
		for _, ins := range in.Target.All(dockerfile.KindCopy) {
			if path.Clean(ins.Copy.Dest) == path.Clean(v) && (strings.HasPrefix(ins.Copy.Chown, "65532") || strings.HasPrefix(ins.Copy.Chown, "nonroot")) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
