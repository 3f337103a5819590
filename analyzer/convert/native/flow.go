package native

import (
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Step is one command of a RUN instruction with the directory it runs in:
// the stage's WORKDIR, changed by `cd` earlier in the same script. Dir is
// "" when a `cd` went somewhere distill cannot know.
type Step struct {
	analysis.RunCommand
	Stage *dockerfile.Stage
	Dir   string
}

// Expand replaces $VAR and ${VAR} with the values the step sees (its
// script's assignments, then the stage's ENV and ARG defaults); ok is false
// when a variable has no known value.
func (s Step) Expand(p string) (string, bool) {
	if !strings.Contains(p, "$") {
		return p, true
	}
	env := convert.EnvAt(s.Stage, s.Instruction)
	ok := true
	out := varRef.ReplaceAllStringFunc(p, func(m string) string {
		name := varRef.FindStringSubmatch(m)[1]
		if v, found := s.Getenv(name); found && !strings.Contains(v, "$") {
			return v
		}
		if v, found := env[name]; found && !strings.Contains(v, "$") {
			return v
		}
		ok = false
		return m
	})
	if strings.Contains(out, "$") {
		ok = false
	}
	return out, ok
}

var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// Abs resolves a path as the step sees it, variables expanded; "" when the
// step's directory is unknown and p is relative, or a variable is unknown.
func (s Step) Abs(p string) string {
	p, ok := s.Expand(p)
	if !ok || p == "" || strings.HasPrefix(p, "~") {
		return ""
	}
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	if s.Dir == "" {
		return ""
	}
	return path.Join(s.Dir, p)
}

// Steps returns the commands of a stage's RUN instructions in order, each
// with its working directory.
func Steps(in *convert.Input, st *dockerfile.Stage) []Step {
	var out []Step
	for _, ins := range st.All(dockerfile.KindRun) {
		s := in.Script(ins)
		if s == nil {
			continue
		}
		dir := in.WorkdirAt(st, ins)
		var stack []string
		for _, c := range s.Commands {
			step := Step{RunCommand: analysis.RunCommand{Instruction: ins, Command: c}, Stage: st, Dir: dir}
			switch {
			case c.Is("cd", "pushd"):
				pos := c.Positionals()
				if c.Is("pushd") {
					stack = append(stack, dir)
				}
				switch {
				case len(pos) == 0:
					dir = "" // $HOME
				default:
					dir = step.Abs(pos[0])
				}
				continue
			case c.Is("popd"):
				dir = ""
				if n := len(stack); n > 0 {
					dir, stack = stack[n-1], stack[:n-1]
				}
				continue
			}
			out = append(out, step)
		}
	}
	return out
}

// Output is a file, or a directory tree, that a build step leaves in a
// stage's filesystem.
type Output struct {
	// Stage is where it was produced; stages built FROM it see it too.
	Stage *dockerfile.Stage
	// Step is the build command that produced it (for copies, the
	// original build).
	Step Step
	Path string
	// Dir marks a directory: every file under Path is an output.
	Dir bool
	// Ephemeral is set when Path lies in a RUN --mount=type=cache or tmpfs
	// target: it is gone once the RUN ends.
	Ephemeral bool
	// Build is the recipe's description of the build.
	Build any
}

// Covers reports whether the output holds the file at p.
func (o *Output) Covers(p string) bool {
	if o.Path == p {
		return true
	}
	return o.Dir && strings.HasPrefix(p, strings.TrimSuffix(o.Path, "/")+"/")
}

// Recognizer reports what a command builds. It returns outputs with Path,
// Dir and Build set.
type Recognizer func(s Step) []Output

// Collect walks the RUN steps of the stages (in file order) and returns
// what the recognizer reports they build, plus the copies of those outputs
// made with cp, mv or install.
func Collect(in *convert.Input, stages []*dockerfile.Stage, rec Recognizer) []Output {
	var all []Output
	for _, st := range stages {
		for _, s := range Steps(in, st) {
			for _, o := range rec(s) {
				o.Stage, o.Step = st, s
				o.Ephemeral = inMount(in, s, o.Path)
				all = append(all, o)
			}
			all = append(all, copies(in, s, all)...)
		}
	}
	return all
}

// inMount reports whether a path lies in a cache or tmpfs mount of the
// step's RUN.
func inMount(in *convert.Input, s Step, p string) bool {
	run := s.Instruction.Run
	if run == nil {
		return false
	}
	wd := in.WorkdirAt(s.Stage, s.Instruction)
	for _, m := range run.Mounts {
		if m.Type != "cache" && m.Type != "tmpfs" {
			continue
		}
		t := convert.Absolute(wd, m.Target)
		if p == t || strings.HasPrefix(p, strings.TrimSuffix(t, "/")+"/") {
			return true
		}
	}
	return false
}

// visible reports whether an output of stage from is in st's filesystem
// (st is from, or built FROM it).
func visible(from, st *dockerfile.Stage) bool {
	seen := map[*dockerfile.Stage]bool{}
	for s := st; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		if s == from {
			return true
		}
	}
	return false
}

// Find returns the output that holds the file at p in stage st, preferring
// the latest; persisted outputs win over ephemeral ones.
func Find(outputs []Output, st *dockerfile.Stage, p string) *Output {
	var found *Output
	for i := range outputs {
		o := &outputs[i]
		if !visible(o.Stage, st) || !o.Covers(p) {
			continue
		}
		if found == nil || found.Ephemeral || !o.Ephemeral {
			found = o
		}
	}
	return found
}

// copies follows cp, mv and install commands whose sources are outputs.
func copies(in *convert.Input, s Step, outputs []Output) []Output {
	c := s.Command
	if !c.Is("cp", "mv", "install") {
		return nil
	}
	var valueFlags []string
	if c.Is("install") {
		valueFlags = []string{"-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix", "-t", "--target-directory"}
		if c.HasFlag("-d", "--directory") {
			return nil
		}
	} else {
		valueFlags = []string{"-t", "--target-directory", "-S", "--suffix"}
	}
	pos := c.Positionals(valueFlags...)
	targetDir, hasTarget := c.Flag("-t", "--target-directory")
	if hasTarget {
		pos = append(pos, targetDir)
	}
	if len(pos) < 2 {
		return nil
	}
	srcs, dst := pos[:len(pos)-1], s.Abs(pos[len(pos)-1])
	if dst == "" {
		return nil
	}
	recursive := c.HasFlag("-r", "-R", "-a", "--recursive", "--archive") || c.Is("mv")
	for _, a := range c.Args {
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsAny(a, "rRa") && !c.Is("install") {
			recursive = true
		}
	}
	var out []Output
	for _, src := range srcs {
		sp := s.Abs(src)
		if sp == "" || strings.ContainsAny(sp, "*?[") {
			continue
		}
		from := Find(outputs, s.Stage, sp)
		isDirOutput := false
		if from == nil {
			// Copying a directory that contains outputs (cp -r build/bin /out).
			for i := range outputs {
				o := &outputs[i]
				if recursive && visible(o.Stage, s.Stage) && strings.HasPrefix(o.Path, strings.TrimSuffix(sp, "/")+"/") {
					from, isDirOutput = o, true
					break
				}
			}
		}
		if from == nil {
			continue
		}
		dir := isDirOutput || (from.Dir && from.Path == sp)
		var dests []string
		switch {
		case hasTarget || len(srcs) > 1 || strings.HasSuffix(pos[len(pos)-1], "/"):
			dests = []string{path.Join(dst, path.Base(sp))}
		default:
			// dst is the new name, or an existing directory.
			dests = []string{dst, path.Join(dst, path.Base(sp))}
		}
		for _, d := range dests {
			// A copied directory keeps the files below it: the copy covers
			// the whole tree.
			o := *from
			o.Path, o.Dir, o.Stage = d, dir, s.Stage
			o.Ephemeral = inMount(in, s, d)
			out = append(out, o)
		}
	}
	return out
}

// Candidate is an artifact LocateProgram can match, with the output it
// comes from.
type Candidate struct {
	convert.Artifact
	Output *Output
}

// Candidates turns outputs into artifacts for LocateProgram: the program's
// own candidate paths in the shipped chain, and the sources of COPY --from
// instructions in the chain that a build stage produced.
func Candidates(in *convert.Input, outputs []Output, prog, workdir string) []Candidate {
	var out []Candidate
	add := func(st *dockerfile.Stage, p string) {
		if o := Find(outputs, st, p); o != nil {
			out = append(out, Candidate{Artifact: convert.Artifact{Stage: st, Path: p, Run: o.Step.RunCommand}, Output: o})
		}
	}
	target := in.Target
	for _, p := range convert.ProgramPath(workdir, prog) {
		add(target, p)
	}
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy) {
			if ins.Copy.From == "" {
				continue
			}
			src := in.File.Stage(ins.Copy.From)
			if src == nil {
				continue
			}
			for _, s := range ins.Copy.Sources {
				if !strings.HasPrefix(s, "/") {
					continue // relative to the stage's root: ambiguous, leave it
				}
				add(src, path.Clean(s))
			}
		}
	}
	return out
}

// Locate finds the program among the candidates and returns where it comes
// from and the output that produced it.
func Locate(in *convert.Input, prog, workdir string, outputs []Output, cands []Candidate) (*convert.Located, *Output) {
	arts := make([]convert.Artifact, len(cands))
	for i, c := range cands {
		arts[i] = c.Artifact
	}
	loc, ok := in.LocateProgram(prog, workdir, arts)
	if !ok {
		return locateInDir(in, prog, workdir, outputs)
	}
	for _, c := range cands {
		if c.Stage == loc.Artifact.Stage && c.Path == loc.Artifact.Path {
			return loc, c.Output
		}
	}
	return nil, nil
}

// knownDirs exist in every base image distill converts from, so Docker
// copies a file INTO them even without a trailing slash.
var knownDirs = map[string]bool{"/usr/local/bin": true, "/usr/local/sbin": true, "/usr/bin": true, "/usr/sbin": true, "/bin": true, "/sbin": true}

// locateInDir handles the COPY forms LocateProgram does not: a file copied
// into an existing directory named without a trailing slash
// (COPY --from=build /app/target/release/app /usr/local/bin), and a
// directory copied whole (COPY --from=build /opt/app /opt/app).
func locateInDir(in *convert.Input, prog, workdir string, outputs []Output) (*convert.Located, *Output) {
	programs := convert.ProgramPath(workdir, prog)
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy) {
			if ins.Copy.From == "" || len(ins.Copy.Sources) != 1 {
				continue
			}
			src := in.File.Stage(ins.Copy.From)
			s := ins.Copy.Sources[0]
			if src == nil || !strings.HasPrefix(s, "/") || strings.ContainsAny(s, "*?[$") || strings.Contains(ins.Copy.Dest, "$") {
				continue
			}
			srcPath := path.Clean(s)
			dst := convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
			for _, p := range programs {
				var from string
				switch {
				case knownDirs[dst] && p == path.Join(dst, path.Base(srcPath)):
					from = srcPath
				case strings.HasPrefix(p, dst+"/"):
					from = path.Join(srcPath, strings.TrimPrefix(p, dst+"/"))
				default:
					continue
				}
				if o := Find(outputs, src, from); o != nil {
					return &convert.Located{Artifact: convert.Artifact{Stage: src, Path: from, Run: o.Step.RunCommand}, Copy: ins, ImagePath: p}, o
				}
			}
		}
	}
	return nil, nil
}
