package node

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/convert/distroless"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// convertDistrolessFinal handles a shipped stage that already is a
// distroless Node.js image: builders are aligned with its major (or both
// move to a maintained major), the command is put in the form the image's
// ENTRYPOINT expects, and the distroless touch-up pins the image, the
// nonroot tag and the health check. A file distill converted comes back
// unchanged.
func convertDistrolessFinal(in *convert.Input) (*convert.Result, error) {
	c := &conv{in: in, p: in.NewPlan()}
	c.rt = c.p.Runtime
	c.kw = func(k string) string { return convert.Keyword(in.File, k) }
	root := in.RootBase()
	rootStage := in.Target.RootFrom()
	dl := in.Catalog.ParseDistroless(distrolessName(root), root.Tag)

	// The runtime's major: the family's, the legacy tag's (nodejs:18), or
	// the builders'.
	major := strings.TrimPrefix(dl.Family, "nodejs")
	if major == "" {
		if v := root.Tag; v != "" && strings.Trim(v, "0123456789") == "" {
			major = v
		} else {
			major = c.builderMajor()
		}
	}
	if major == "" {
		return convert.Declinef([]string{"name the Node.js major in the image: gcr.io/distroless/nodejs22-debian13 (or 24, 26), the major of the build stage"},
			"%s does not say which Node.js major it runs, and no node build stage tells it either", root.Familiar()), nil
	}
	target, d := c.targetMajor(major, root)
	if d != nil {
		return d, nil
	}
	c.major = target
	c.dl = in.Catalog.DistrolessImage("nodejs" + target)
	c.image = in.DistrolessRef(c.dl)
	c.pkg = c.packageJSON(in.Target, c.rt.Workdir)
	if d := c.checkPlatforms(); d != nil {
		return d, nil
	}
	if target != major || dl.Image == nil || (dl.Debian != 0 && !dl.Published) {
		// Move the runtime to the maintained family; the touch-up pins
		// the Debian release and the tag.
		tag := ""
		if dl.TagKnown && root.Tag != "" && root.Digest == "" {
			tag = ":" + root.Tag
		}
		newRef := in.Catalog.Ref(c.dl.Family, c.dl.Debians[len(c.dl.Debians)-1], "") + tag
		c.p.Editor.Replace(rootStage.From, strings.Replace(rootStage.From.Original, rootStage.From.From.Image, newRef, 1))
		switch {
		case target != major:
			c.upgraded = true
			c.p.Note(convert.Behavior, "Node.js %s has no maintained distroless image (%s); the build and the runtime move together to Node.js %s: test the application on %s before merging", major, c.why(major), target, target)
		case dl.Image == nil:
			c.p.Note(convert.Change, "%s is not maintained; the image is %s, the Node.js major of the build", root.Familiar(), newRef)
		default:
			reason := "it is not published"
			if dl.Removed != nil {
				reason = dl.Removed.Reason
			}
			c.p.Note(convert.Change, "%s → %s: %s; the same Node.js major on a newer Debian runs what the build stages produce", root.Familiar(), newRef, reason)
		}
	}
	if d := c.fixBuilders(); d != nil {
		return d, nil
	}
	c.applyArgEdits()

	// The command, for the image's ENTRYPOINT ["/nodejs/bin/node"].
	if prog, why := in.ResolveProgram(c.rt); why == "" {
		l, d := c.resolveLaunch(prog, true)
		if d != nil {
			return d, nil
		}
		var last *dockerfile.Instruction
		for _, ins := range []*dockerfile.Instruction{c.rt.Entrypoint, c.rt.Cmd} {
			if ins != nil && (last == nil || ins.StartLine > last.StartLine) {
				last = ins
			}
		}
		if c.commandChanges(l) {
			c.placeCommand(l, last, in.Target)
			c.commandNote(l)
		}
	}
	if hc := c.rt.Healthcheck; hc != nil && hc.Healthcheck != nil && !hc.Healthcheck.Shell() {
		if line, note := c.healthcheck(hc); note != nil && line != "" && line != hc.Original {
			c.p.Editor.Replace(hc, line)
			c.p.Notes = append(c.p.Notes, *note)
		}
	}
	text, err := c.p.Editor.Text()
	if err != nil {
		return nil, err
	}
	// The touch-up does the rest: Debian pin, nonroot, shell-form
	// commands and health checks.
	p2, err := convert.Run(in.Path, []byte(text), []*convert.Recipe{distroless.Recipe}, in.Options)
	if err != nil {
		return nil, err
	}
	if p2.Status == convert.Declined {
		return &convert.Result{Decline: p2.Decline, Notes: append(c.p.Notes, p2.Notes...)}, nil
	}
	out := strings.ReplaceAll(string(p2.Dockerfile), "\r\n", "\n")
	return &convert.Result{Dockerfile: out, FinalImage: p2.FinalImage, Notes: append(c.p.Notes, p2.Notes...)}, nil
}

// builderMajor returns the Node.js major the node build stages share.
func (c *conv) builderMajor() string {
	major := ""
	for _, st := range c.in.Reachable() {
		if st.BaseStage != nil {
			continue
		}
		im := c.in.Image(st.Base)
		if im == nil || im.Kind != "node" {
			continue
		}
		t, ok := c.parseNodeTag(st.Base.Tag)
		if !ok || (major != "" && t.Major != major) {
			return ""
		}
		major = t.Major
	}
	return major
}

// commandChanges reports whether the launch differs from the command the
// file already has.
func (c *conv) commandChanges(l *launch) bool {
	same := func(ins *dockerfile.Instruction, want []string) bool {
		if ins == nil {
			return want == nil
		}
		if ins.Exec.Shell || want == nil {
			return false
		}
		return fmt.Sprint(ins.Exec.Args) == fmt.Sprint(want)
	}
	var ep []string
	if l.Entry != nil {
		ep = append([]string{c.dl.Interpreter}, l.Entry...)
	}
	cmd := l.Cmd
	if l.Entry != nil && len(l.Cmd) == 0 {
		cmd = nil
	}
	return !same(c.rt.Entrypoint, ep) || !same(c.rt.Cmd, cmd) || len(l.Env) > 0 && c.envDiffers(l)
}

func (c *conv) envDiffers(l *launch) bool {
	for _, kv := range l.Env {
		if v, ok := c.rt.EnvValue(kv.Key); !ok || v != kv.Value {
			return true
		}
	}
	return false
}
