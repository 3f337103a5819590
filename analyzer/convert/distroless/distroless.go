// Package distroless touches up Dockerfiles whose shipped image is already
// minimal (Google distroless, Ubuntu chiseled, scratch): they are left
// alone except for real problems — an unpinned Debian suffix, a removed or
// frozen image, a root user, a :debug tag, or a command that needs a shell.
package distroless

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Recipe is the touch-up recipe.
var Recipe = &convert.Recipe{
	Name:    "distroless",
	Detect:  detect,
	Convert: touchUp,
}

func detect(in *convert.Input) bool {
	root := in.RootBase()
	return root.Scratch || root.IsDistroless() || strings.Contains(root.Tag, "chiseled")
}

func touchUp(in *convert.Input) (*convert.Result, error) {
	p := in.NewPlan()
	root := in.RootBase()
	rootStage := in.Target.RootFrom()
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindRun) {
			if root.Scratch || !strings.Contains(root.Tag, "debug") {
				return convert.Declinef([]string{"move the RUN into a build stage and COPY its result (use COPY --chown/--chmod instead of chown/chmod)"},
					"line %d runs `%s` in a stage built on %s, which has no shell: the build fails", ins.StartLine, strings.TrimSpace(truncate(ins.Original, 60)), root.Familiar()), nil
			}
		}
	}
	finalImage := root.Familiar()
	var dl catalog.DistrolessRef
	if root.IsDistroless() {
		dl = in.Catalog.ParseDistroless(strings.TrimPrefix(root.Repository, "distroless/"), root.Tag)
		if dl.Image == nil && dl.Removed == nil {
			return convert.Declinef(nil, "%s is not an image distill knows", root.Familiar()), nil
		}
		newRef, d := replacement(in, dl, root)
		if d != nil {
			return d, nil
		}
		if newRef != root.Familiar() && root.Digest == "" {
			p.Editor.Replace(rootStage.From, strings.Replace(rootStage.From.Original, rootStage.From.From.Image, newRef, 1))
			describe(p, in, dl, root, newRef)
			finalImage = newRef
		}
	}
	rt := p.Runtime
	// Root user: a USER root/0 line goes away when the tag is nonroot;
	// scratch gets a numeric user.
	if in.Options.NonRoot {
		if rt.UserInstr != nil && isRoot(rt.User) && root.IsDistroless() {
			p.Editor.Delete(rt.UserInstr)
			p.Note(convert.Behavior, "USER %s is removed: the image now runs as uid 65532", rt.User)
		}
		if root.Scratch && (rt.User == "" || isRoot(rt.User)) {
			if rt.UserInstr != nil {
				p.Editor.Replace(rt.UserInstr, convert.Keyword(in.File, "USER")+" 65532:65532")
			} else {
				p.Editor.InsertAfter(in.Target.Instructions[lastIndex(in.Target)], convert.Keyword(in.File, "USER")+" 65532:65532")
			}
			p.Note(convert.Behavior, "the scratch image ran as root; it now runs as uid 65532 (files it writes must be owned by 65532)")
		}
	}
	// Commands: exec form, without the interpreter the image already runs.
	var im *catalog.DistrolessImage
	if dl.Image != nil {
		im = dl.Image
	}
	for _, ins := range []*dockerfile.Instruction{rt.Entrypoint, rt.Cmd} {
		if ins == nil {
			continue
		}
		kw := convert.Keyword(in.File, string(ins.Kind))
		words := ins.Exec.Args
		if ins.Exec.Shell {
			ws, ok := shell.SimpleCommand(strings.TrimPrefix(strings.TrimSpace(ins.Exec.CommandLine()), "exec "))
			if !ok {
				return convert.Declinef([]string{"move that logic into the application and use an exec-form " + string(ins.Kind)},
					"%s `%s` (line %d) needs a shell, which %s does not have", ins.Kind, truncate(ins.Exec.CommandLine(), 60), ins.StartLine, root.Familiar()), nil
			}
			words = ws
		}
		stripped := false
		if ins.Kind == dockerfile.KindCmd && rt.Entrypoint == nil {
			words, stripped = stripInterpreter(im, words)
		}
		if ins.Exec.Shell || stripped {
			p.Editor.Replace(ins, kw+" "+convert.ExecForm(words))
			if ins.Exec.Shell {
				p.Note(convert.Change, "%s is now in exec form: the image has no /bin/sh", ins.Kind)
			}
			if stripped {
				p.Note(convert.Change, "CMD no longer repeats the interpreter: %s already runs %s", finalImage, strings.Join(im.Entrypoint, " "))
			}
		}
	}
	if hc := rt.Healthcheck; hc != nil && hc.Healthcheck != nil && hc.Healthcheck.Shell() {
		probe := convert.HealthProbe{}
		if im != nil && (im.Runtime == "python" || im.Runtime == "node") {
			probe = convert.HealthProbe{Kind: im.Runtime, Interpreter: im.Interpreter}
		}
		line, note := in.ConvertHealthcheck(hc, probe, nil)
		if line == "" {
			p.Editor.Delete(hc)
		} else {
			p.Editor.Replace(hc, line)
		}
		if note != nil {
			p.Notes = append(p.Notes, *note)
		}
	}
	return p.Text(finalImage)
}

func lastIndex(st *dockerfile.Stage) int {
	if len(st.Instructions) == 0 {
		return 0
	}
	return len(st.Instructions) - 1
}

// replacement returns the pinned, maintained, non-debug reference for a
// distroless image, or a decline when that would change the language
// version.
func replacement(in *convert.Input, dl catalog.DistrolessRef, root dockerfile.ImageRef) (string, *convert.Result) {
	family := dl.Family
	debian := dl.Debian
	if dl.Removed != nil || debian == 0 || !dl.Published {
		im := dl.Image
		if im == nil {
			if strings.HasPrefix(family, "nodejs") {
				up := in.Catalog.Node.UpgradeTo
				return "", convert.Declinef([]string{fmt.Sprintf("move the builder and the runtime to Node %s together: node:%s-bookworm and %s", up, up, in.Catalog.Ref("nodejs"+up, 13, "nonroot"))},
					"%s: %s; moving to another Node.js major needs node_modules rebuilt on that major", root.Familiar(), dl.Removed.Reason)
			}
			return "", convert.Declinef([]string{"rebuild on a maintained distroless image (run `distill fix` after a multi-stage rewrite)"}, "%s: %s, and it has no direct replacement", root.Familiar(), dl.Removed.Reason)
		}
		target := in.Options.Debian
		if !im.HasDebian(target) {
			target = im.Debians[len(im.Debians)-1]
		}
		if debian != 0 && debian != target && im.Version != "" && im.Runtime == "python" {
			return "", convert.Declinef([]string{fmt.Sprintf("rebuild the virtualenv on python:%s-slim-trixie and use %s", im.Version, in.Catalog.Ref(family, target, "nonroot"))},
				"%s: %s; its replacement %s ships Python %s, so the virtualenv built for the old image must be rebuilt", root.Familiar(), dl.Removed.Reason, in.Catalog.Ref(family, target, ""), im.Version)
		}
		if debian != 0 && debian != target && im.Runtime == "node" {
			return "", convert.Declinef(nil, "%s: %s", root.Familiar(), dl.Removed.Reason)
		}
		debian = target
	}
	tag := dl.Tag
	switch {
	case !dl.TagKnown:
		tag = "nonroot"
	case tag == "" || tag == "latest":
		if in.Options.NonRoot {
			tag = "nonroot"
		} else {
			tag = ""
		}
	case strings.HasPrefix(tag, "debug"):
		tag = strings.TrimPrefix(strings.TrimPrefix(tag, "debug"), "-")
		if tag == "" && in.Options.NonRoot {
			tag = "nonroot"
		}
	}
	return in.Catalog.Ref(family, debian, tag), nil
}

func describe(p *convert.Plan, in *convert.Input, dl catalog.DistrolessRef, root dockerfile.ImageRef, newRef string) {
	switch {
	case dl.Removed != nil:
		p.Note(convert.Change, "%s → %s: %s", root.Familiar(), newRef, dl.Removed.Reason)
	case dl.Debian == 0:
		p.Note(convert.Change, "%s → %s: untagged distroless names silently moved from Debian 11 to 12 to 13; pinning the release keeps the image from changing under you", root.Familiar(), newRef)
	}
	if strings.HasPrefix(dl.Tag, "debug") {
		p.Note(convert.Behavior, "the :%s tag contains busybox and is not meant for production; the image now uses %s", dl.Tag, newRef)
	}
	if (dl.Tag == "" || dl.Tag == "latest") && strings.HasSuffix(newRef, ":nonroot") {
		p.Note(convert.Behavior, "the image ran as root (uid 0); :nonroot runs as uid 65532 with WORKDIR /home/nonroot — files the app writes must be owned by 65532")
	}
	if !dl.TagKnown {
		p.Note(convert.Change, "the tag %q is frozen (distroless only updates latest, nonroot, debug, debug-nonroot)", dl.Tag)
	}
}

func isRoot(u string) bool {
	user, _, _ := strings.Cut(u, ":")
	return user == "root" || user == "0"
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// stripInterpreter removes python/node/java -jar that the image's own
// ENTRYPOINT already runs.
func stripInterpreter(im *catalog.DistrolessImage, words []string) ([]string, bool) {
	if im == nil || len(words) == 0 {
		return words, false
	}
	base := words[0][strings.LastIndex(words[0], "/")+1:]
	switch im.Runtime {
	case "python":
		if strings.HasPrefix(base, "python") {
			return words[1:], true
		}
	case "node":
		if base == "node" || base == "nodejs" {
			return words[1:], true
		}
	case "java":
		if base == "java" && len(words) > 1 && words[1] == "-jar" {
			return words[2:], true
		}
	}
	return words, false
}
