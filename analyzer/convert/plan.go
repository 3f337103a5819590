package convert

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Plan is the common shape of a conversion: the shipped stage either gets a
// new FROM in place (when it only assembles artifacts) or becomes a build
// stage with a new distroless stage appended after it.
type Plan struct {
	In      *Input
	Editor  *Editor
	Runtime *Runtime
	Notes   []Note
	// InPlace is true when the shipped stage is rewritten in place.
	InPlace bool
	// BuilderRef names the stage the final stage copies from (split mode).
	BuilderRef string
	// FinalName is the name of the new final stage ("" for unnamed).
	FinalName string
	// TargetImage, when set, replaces the image of the shipped stage when
	// it becomes a build stage (e.g. a builder tag that never existed).
	TargetImage string
}

// EditHealthcheck applies a converted HEALTHCHECK (ConvertHealthcheck's
// result) in place: the new line, or the instruction deleted when line is
// "", and the note that explains it.
func (p *Plan) EditHealthcheck(ins *dockerfile.Instruction, line string, note *Note) {
	if note != nil {
		p.Notes = append(p.Notes, *note)
	}
	if line == "" {
		p.Editor.Delete(ins)
	} else if line != ins.Original {
		p.Editor.Replace(ins, line)
	}
}

// Note records a reviewer note.
func (p *Plan) Note(kind NoteKind, format string, args ...any) {
	p.Notes = append(p.Notes, Note{Kind: kind, Text: fmt.Sprintf(format, args...)})
}

// NewPlan starts a plan.
func (in *Input) NewPlan() *Plan {
	return &Plan{In: in, Editor: NewEditor(in.File), Runtime: in.CollectRuntime()}
}

// runtimeOnly are instructions that configure the container, not the build:
// in split mode they move from the old shipped stage to the new one.
var runtimeOnly = map[dockerfile.Kind]bool{
	dockerfile.KindCmd: true, dockerfile.KindEntrypoint: true, dockerfile.KindExpose: true,
	dockerfile.KindHealthcheck: true, dockerfile.KindVolume: true, dockerfile.KindStopSignal: true,
	dockerfile.KindLabel: true,
}

// Split turns the shipped stage into a build stage: its FROM gets a stage
// name (and optionally a new image), and the instructions that only
// configure the container move to the final stage. The final stage keeps
// the original stage name, so `docker build --target <name>` still builds
// the shipped image.
func (p *Plan) Split(builderImage string) {
	t := p.In.Target
	used := map[string]bool{}
	for _, st := range p.In.File.Stages {
		used[st.Name] = true
	}
	name := "build"
	if t.Name != "" {
		p.FinalName = t.From.From.Name
		name = t.Name + "-build"
	}
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("build%d", i)
	}
	p.BuilderRef = name
	p.Editor.Replace(t.From, p.fromLine(t.From, builderImage, name))
	// Drop the last USER when nothing runs after it: it only set the
	// runtime user, which the final stage decides.
	lastRun := 0
	for _, ins := range t.Instructions {
		if ins.Kind == dockerfile.KindRun || ins.Kind == dockerfile.KindCopy || ins.Kind == dockerfile.KindAdd {
			lastRun = ins.StartLine
		}
	}
	for _, ins := range t.Instructions {
		if runtimeOnly[ins.Kind] || (ins.Kind == dockerfile.KindUser && ins.StartLine > lastRun) {
			p.Editor.Delete(ins)
		}
	}
}

// fromLine renders a FROM with a new image and/or name, keeping flags.
func (p *Plan) fromLine(from *dockerfile.Instruction, image, name string) string {
	kw := Keyword(p.In.File, "FROM")
	as := Keyword(p.In.File, "AS")
	parts := []string{kw}
	parts = append(parts, from.Flags...)
	if image == "" {
		image = from.From.Image
	}
	parts = append(parts, image)
	if name != "" {
		parts = append(parts, as, name)
	}
	return strings.Join(parts, " ")
}

// SetBuilderImage rewrites the image of a build stage's FROM, keeping its
// name and flags.
func (p *Plan) SetBuilderImage(st *dockerfile.Stage, image string) {
	p.Editor.Replace(st.From, p.fromLine(st.From, image, st.From.From.Name))
}

// FinalStage prepares the distroless stage with everything the runtime
// carries over: WORKDIR, runtime ENV (build-only ENV dropped), LABELs,
// EXPOSE, VOLUME, STOPSIGNAL and a numeric non-root USER.
func (p *Plan) FinalStage(image string) *FinalStage {
	rt := p.Runtime
	fs := &FinalStage{From: image, Name: p.FinalName, Lower: Lowercase(p.In.File), Workdir: rt.Workdir,
		Expose: rt.Expose, Volumes: rt.Volumes, StopSignal: rt.StopSignal, Env: rt.Env}
	for _, l := range rt.Labels {
		fs.Labels = append(fs.Labels, l.Original)
	}
	if len(rt.BuildOnlyEnv) > 0 {
		p.Note(Change, "build-only ENV (%s) stays in the build stage", strings.Join(rt.BuildOnlyEnv, ", "))
	}
	switch {
	case rt.User == "":
	case rt.NumericNonRootUser():
		fs.User = rt.User
	case isRoot(rt.User):
		if p.In.Options.NonRoot {
			p.Note(Behavior, "the image ran as root (USER %s); it now runs as uid 65532 (distroless nonroot)", rt.User)
		}
	default:
		if p.In.Options.NonRoot {
			p.Note(Behavior, "USER %s is a name created with useradd/adduser in the original image; the distroless image has no such user, so the app now runs as uid 65532 (nonroot). Files it writes must be owned by 65532", rt.User)
		} else {
			p.Note(Behavior, "USER %s does not exist in the distroless image; the app runs as root", rt.User)
		}
	}
	if rt.User == "" && p.In.Options.NonRoot {
		p.Note(Behavior, "the image ran as root; it now runs as uid 65532 (the distroless nonroot user), which Kubernetes runAsNonRoot accepts")
	}
	if privileged := rt.PrivilegedPorts(); len(privileged) > 0 && p.In.Options.NonRoot {
		p.Note(Risk, "EXPOSE %s is below 1024: a non-root process can bind it on Docker ≥ 20.10 and containerd 2 but not on CRI-O, rootless Podman or with --network host; consider moving the app to 8080", strings.Join(privileged, " "))
	}
	if len(rt.Volumes) > 0 && p.In.Options.NonRoot {
		p.Note(Risk, "VOLUME %s: named volumes take the image directory's ownership, bind mounts keep the host's; make sure uid 65532 can write there", strings.Join(rt.Volumes, " "))
	}
	return fs
}

func isRoot(u string) bool {
	user, _, _ := strings.Cut(u, ":")
	return user == "root" || user == "0"
}

// DistrolessRef returns the reference for a runtime family on the
// configured Debian release, with :nonroot when configured.
func (in *Input) DistrolessRef(im *catalog.DistrolessImage) string {
	tag := ""
	if in.Options.NonRoot {
		tag = "nonroot"
	}
	debian := in.Options.Debian
	if !im.HasDebian(debian) {
		debian = im.Debians[len(im.Debians)-1]
	}
	return in.Catalog.Ref(im.Family, debian, tag)
}

// Absolute resolves a path in the image against a working directory.
func Absolute(workdir, p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	if workdir == "" {
		workdir = "/"
	}
	return path.Join(workdir, p)
}

// Finish renders the plan: in split mode the final stage is appended after
// a blank line; in place it replaces the shipped stage's FROM and the
// instructions the recipe removed.
func (p *Plan) Finish(fs *FinalStage) (*Result, error) {
	if p.InPlace {
		return nil, fmt.Errorf("Finish called for an in-place plan")
	}
	fs.Args = p.In.argDeclarations(fs.expandable())
	p.Editor.Append("\n" + fs.Render())
	text, err := p.Editor.Text()
	if err != nil {
		return nil, err
	}
	return &Result{Dockerfile: text, FinalImage: fs.From, Notes: p.Notes}, nil
}

// Text renders an in-place plan.
func (p *Plan) Text(finalImage string) (*Result, error) {
	text, err := p.Editor.Text()
	if err != nil {
		return nil, err
	}
	return &Result{Dockerfile: text, FinalImage: finalImage, Notes: p.Notes}, nil
}
