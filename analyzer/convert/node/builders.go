package node

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// nodeTag is a node image tag taken apart.
type nodeTag struct {
	Version string // "22", "22.3.0", "" for aliases
	Major   string
	Alias   string // lts, latest, jod…
	Alpine  bool
	Slim    bool
	Debian  int // from a codename word, 0 when absent
}

// parseNodeTag interprets a tag of the official node image.
func (c *conv) parseNodeTag(tag string) (nodeTag, bool) {
	cat := c.in.Catalog
	var t nodeTag
	words := strings.Split(tag, "-")
	if tag == "" {
		words = []string{"latest"}
	}
	first := words[0]
	switch {
	case catalog.TagVersion(first) == first && first != "":
		t.Version = first
		t.Major = catalog.Major(first)
		words = words[1:]
	default:
		if m, ok := cat.NodeAlias(first); ok {
			t.Alias, t.Major = first, m
			words = words[1:]
		} else {
			// Bare variant tags (alpine, slim, bookworm-slim) follow latest.
			t.Alias = "latest"
			t.Major, _ = cat.NodeAlias("latest")
		}
	}
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "alpine"):
			t.Alpine = true
		case w == "slim":
			t.Slim = true
		case cat.DebianByCodename(w) != 0:
			t.Debian = cat.DebianByCodename(w)
		default:
			return t, false
		}
	}
	return t, t.Major != ""
}

// majorOf returns the Node.js major of a stage's node image.
func (c *conv) majorOf(st *dockerfile.Stage) (string, *convert.Result) {
	t, ok := c.parseNodeTag(st.Base.Tag)
	if !ok {
		return "", convert.Declinef([]string{"use a node image tag with a version, such as node:22-bookworm"},
			"distill cannot tell the Node.js major of %s (line %d)", st.Base.Familiar(), st.From.StartLine)
	}
	return t.Major, nil
}

// builderFix is the new image of a node stage.
type builderFix struct {
	stage *dockerfile.Stage
	tag   nodeTag
	// image is the new reference ("" when unchanged).
	image string
	// switched is true when an Alpine image becomes a Debian one.
	switched bool
}

// fixBuilders aligns every reachable stage built on a node image with the
// runtime: the same major, Debian instead of Alpine, the Debian release
// pinned. The stage at the root of the shipped chain becomes a build
// stage too (or disappears in place).
func (c *conv) fixBuilders() *convert.Result {
	in := c.in
	seen := map[*dockerfile.Stage]bool{}
	var fixes []*builderFix
	for _, st := range in.Reachable() {
		root := st.RootFrom()
		if seen[root] {
			continue
		}
		seen[root] = true
		if c.shipInPlace && root == in.Target {
			continue // becomes the distroless image itself
		}
		im := in.Image(root.Base)
		if im == nil || im.Kind != "node" {
			if root != in.Target.RootFrom() && stageInstallsNodeModules(in, st) {
				if im.IsAlpine(root.Base.Tag) || catalog.HasWord(root.Base.Tag, "alpine") {
					return convert.Declinef([]string{fmt.Sprintf("install the Node.js packages on node:%s-bookworm and run `distill fix` again", c.major)},
						"%s installs Node.js packages on %s (Alpine, musl): native addons built there cannot load on distroless (glibc)", st.Describe(), root.Base.Familiar())
				}
				c.p.Note(convert.Risk, "%s installs Node.js packages on %s: if its node_modules reach the image, they must be built for Node.js %s on glibc", st.Describe(), root.Base.Familiar(), c.major)
			}
			continue
		}
		f, d := c.builderFor(root)
		if d != nil {
			return d
		}
		fixes = append(fixes, f)
	}
	// Alpine builders: every RUN of the affected stages must work on
	// Debian.
	for _, f := range fixes {
		if !f.switched {
			continue
		}
		if d := c.leaveAlpine(f.stage); d != nil {
			return d
		}
	}
	for _, f := range fixes {
		if f.image == "" {
			continue
		}
		if f.stage == in.Target.RootFrom() && len(in.Chain) == 1 {
			// The shipped stage: Split or the in-place FROM sets the image.
			c.targetFix = f
			continue
		}
		c.setFrom(f.stage, f.image)
	}
	return nil
}

// stageInstallsNodeModules reports whether a stage runs npm/yarn/pnpm.
func stageInstallsNodeModules(in *convert.Input, st *dockerfile.Stage) bool {
	for _, rc := range in.Commands(st) {
		if rc.Is("npm", "yarn", "pnpm") {
			return true
		}
	}
	return false
}

var argImage = regexp.MustCompile(`^(?:docker\.io/)?(?:library/)?node:\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(-[A-Za-z0-9.-]+)?$`)

// setFrom rewrites a node stage's image. A tag chosen through a global
// ARG keeps the ARG: its default moves to the new major and the variant
// suffix changes.
func (c *conv) setFrom(st *dockerfile.Stage, image string) {
	c.p.SetBuilderImage(st, c.fromText(st, image))
}

// fromText returns the FROM image text for a node stage, keeping an ARG
// that chooses the version.
func (c *conv) fromText(st *dockerfile.Stage, image string) string {
	m := argImage.FindStringSubmatch(st.From.From.Image)
	if m == nil {
		return image
	}
	arg := c.metaArg(m[1])
	if arg == nil {
		return image
	}
	_, tag, _ := strings.Cut(image, ":")
	version, suffix, _ := strings.Cut(tag, "-")
	if c.argEdits == nil {
		c.argEdits = map[string]string{}
	}
	if old := argDefault(arg, m[1]); catalog.Major(old) != catalog.Major(version) {
		c.argEdits[m[1]] = version
	}
	return "node:${" + m[1] + "}-" + suffix
}

// metaArg returns the global ARG instruction that declares name.
func (c *conv) metaArg(name string) *dockerfile.Instruction {
	for _, ins := range c.in.File.MetaArgs {
		for _, d := range ins.Arg.Defs {
			if d.Name == name && d.Default != nil {
				return ins
			}
		}
	}
	return nil
}

func argDefault(ins *dockerfile.Instruction, name string) string {
	for _, d := range ins.Arg.Defs {
		if d.Name == name && d.Default != nil {
			return *d.Default
		}
	}
	return ""
}

// applyArgEdits rewrites global ARG defaults changed by fromText.
func (c *conv) applyArgEdits() {
	if len(c.argEdits) == 0 {
		return
	}
	for _, ins := range c.in.File.MetaArgs {
		changed := false
		var parts []string
		for _, d := range ins.Arg.Defs {
			if v, ok := c.argEdits[d.Name]; ok {
				parts = append(parts, d.Name+"="+v)
				c.p.Note(convert.Behavior, "the ARG %s now defaults to %s, the Node.js major of %s; a --build-arg %s with another major would build node_modules the runtime cannot load", d.Name, v, c.image, d.Name)
				changed = true
				continue
			}
			if d.Default != nil {
				parts = append(parts, d.Name+"="+convert.QuoteEnv(*d.Default))
			} else {
				parts = append(parts, d.Name)
			}
		}
		if changed {
			c.p.Editor.Replace(ins, c.kw("ARG")+" "+strings.Join(parts, " "))
		}
	}
}

// builderFor works out the image a node stage builds on.
func (c *conv) builderFor(st *dockerfile.Stage) (*builderFix, *convert.Result) {
	in := c.in
	ref := st.Base
	t, ok := c.parseNodeTag(ref.Tag)
	if !ok {
		return nil, convert.Declinef([]string{"use a node image tag with a version, such as node:" + c.major + "-bookworm"},
			"distill cannot tell the Node.js major of %s (line %d)", ref.Familiar(), st.From.StartLine)
	}
	if catalog.CompareVersions(t.Major, c.major) != 0 && in.Catalog.DistrolessImage("nodejs"+t.Major) == nil && in.Catalog.NodeUpgradeTarget(t.Major) == "" {
		return nil, convert.Declinef([]string{fmt.Sprintf("move %s to Node.js %s and run `distill fix` again", st.Describe(), c.major)},
			"%s (line %d) builds with Node.js %s, which is end-of-life; the runtime needs Node.js %s and moving the build that far is not automatic", ref.Familiar(), st.From.StartLine, t.Major, c.major)
	}
	f := &builderFix{stage: st, tag: t}
	im := in.Image(ref)
	runtimeDebian := 13
	if c.dl != nil && !c.dl.HasDebian(in.Options.Debian) {
		runtimeDebian = c.dl.Debians[len(c.dl.Debians)-1]
	} else if c.dl != nil {
		runtimeDebian = in.Options.Debian
	}
	defaultDebian, _ := in.Catalog.ImageDebian(im, c.major)
	debian := t.Debian
	version := t.Version
	var reasons []string
	kind := convert.Change
	switch {
	case t.Major != c.major:
		version, debian = c.major, defaultDebian
		reasons = append(reasons, fmt.Sprintf("the runtime's Node.js major, %s (native addons are built for one Node.js ABI: \"was compiled against a different Node.js version using NODE_MODULE_VERSION\")", c.major))
		if !c.upgraded {
			kind = convert.Behavior
		}
	case t.Alias != "":
		version = c.major
		reasons = append(reasons, fmt.Sprintf("a pinned major instead of the moving %q tag", orLatest(ref.Tag)))
	}
	if t.Alpine {
		f.switched = true
		debian = defaultDebian
		t.Slim = false // the full image has python3, make and g++ for node-gyp
		reasons = append(reasons, "Debian (glibc) instead of Alpine (musl), because native addons built on Alpine cannot load on distroless (\"Error loading shared library ld-linux-x86-64.so.2\")")
	}
	if debian == 0 {
		debian = defaultDebian
		if ref.Digest == "" {
			reasons = append(reasons, fmt.Sprintf("the Debian release pinned (%s), so a change of upstream's default cannot make the build's glibc newer than the runtime's", in.Catalog.Codename(debian)))
		}
	}
	if debian > runtimeDebian {
		debian = runtimeDebian
		reasons = append(reasons, fmt.Sprintf("Debian %d, not newer than the runtime's", runtimeDebian))
	}
	if !im.TagExists(ref.Tag) && t.Alias == "" && len(reasons) == 0 {
		reasons = append(reasons, fmt.Sprintf("a tag that exists (%s)", im.WhyNot))
	}
	if len(reasons) == 0 || (ref.Digest != "" && t.Major == c.major && !t.Alpine) {
		return f, nil
	}
	tag := version + "-" + in.Catalog.Codename(debian)
	if t.Slim {
		tag += "-slim"
	}
	f.image = "node:" + tag
	where := st.Describe()
	if st == in.Target.RootFrom() && len(in.Chain) == 1 {
		where = "the original stage"
	}
	note := fmt.Sprintf("%s builds on %s instead of %s: %s", where, f.image, ref.Familiar(), strings.Join(reasons, "; "))
	if ref.Digest != "" {
		note += "; the digest pin is dropped with the tag change, pin node:" + tag + " by digest again"
	}
	c.p.Note(kind, "%s", note)
	return f, nil
}

func orLatest(tag string) string {
	if tag == "" {
		return "latest"
	}
	return tag
}

// leaveAlpine checks that the RUN steps of the stages built on an Alpine
// node stage work on Debian: RUNs that only install Alpine packages the
// full Debian image already has, or create users, are removed; anything
// else that uses apk or BusyBox user tools is declined.
func (c *conv) leaveAlpine(root *dockerfile.Stage) *convert.Result {
	in := c.in
	var stages []*dockerfile.Stage
	for _, st := range in.File.Stages {
		if st.RootFrom() == root {
			stages = append(stages, st)
		}
	}
	created := map[string]bool{}
	for _, st := range stages {
		for _, ins := range st.All(dockerfile.KindRun) {
			s := in.Script(ins)
			if s == nil {
				if strings.Contains(ins.Original, "apk ") {
					return alpineDecline(ins, root)
				}
				continue
			}
			removable, alpine := true, false
			var users []string
			for _, cmd := range s.Commands {
				switch {
				case cmd.Is("apk"):
					alpine = true
					for _, p := range apkPackages(cmd.Args) {
						p, _, _ = strings.Cut(p, "=")
						if !slices.Contains(in.Catalog.Node.AlpineBuildPackages, p) && !in.Catalog.InDistroless(p) {
							return alpineDecline(ins, root)
						}
					}
				case cmd.Is("adduser", "addgroup", "useradd", "groupadd"):
					alpine = true
					users = append(users, cmd.Positionals("-h", "-g", "-s", "-G", "-u", "-k", "-c", "-d", "--uid", "--gid", "--ingroup", "--home", "--shell", "--gecos", "--comment", "--home-dir", "--groups", "--skel")...)
				case cmd.Is("rm") && strings.Contains(strings.Join(cmd.Args, " "), "/var/cache/apk"):
				case cmd.Is("update-ca-certificates", "true", "set"):
				default:
					removable = false
				}
			}
			if !alpine {
				continue
			}
			if !removable {
				return alpineDecline(ins, root)
			}
			for _, u := range users {
				created[u] = true
			}
			c.p.Editor.Delete(ins)
			c.deleted = append(c.deleted, ins)
			c.p.Note(convert.Change, "removed `%s` (line %d): it installs Alpine packages or creates users, which the Debian build does not need", truncate(strings.TrimSpace(ins.Original), 60), ins.StartLine)
		}
	}
	if len(created) == 0 {
		return nil
	}
	// Users created by the removed lines do not exist on the Debian image.
	for _, st := range stages {
		lastBuild := 0
		for _, ins := range st.Instructions {
			if ins.Kind == dockerfile.KindRun || ins.Kind == dockerfile.KindCopy || ins.Kind == dockerfile.KindAdd {
				lastBuild = ins.StartLine
			}
		}
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindUser:
				if !usesName(ins.Value, created) {
					continue
				}
				if st == in.Target && ins.StartLine > lastBuild {
					continue // only set the runtime user: the final stage decides
				}
				return convert.Declinef([]string{"create the build user with Debian's useradd or build as the node user, and run `distill fix` again"},
					"USER %s (line %d) is created with Alpine's adduser/addgroup, which the Debian build image needs in its own syntax", ins.Value, ins.StartLine)
			case dockerfile.KindCopy, dockerfile.KindAdd:
				if ins.Copy.Chown != "" && usesName(ins.Copy.Chown, created) {
					c.p.Editor.Replace(ins, replaceChown(ins, c.owner()))
					c.p.Note(convert.Change, "line %d copies with --chown=%s instead of --chown=%s: the user is not created on the Debian build image, and %s is the user the distroless image runs the application as", ins.StartLine, c.owner(), ins.Copy.Chown, c.owner())
				}
			case dockerfile.KindRun:
				s := in.Script(ins)
				if s == nil {
					continue
				}
				chownOnly := true
				uses := false
				for _, cmd := range s.Commands {
					if !cmd.Is("chown") {
						chownOnly = false
						continue
					}
					for _, p := range cmd.Positionals() {
						if usesName(p, created) {
							uses = true
						}
					}
				}
				switch {
				case !uses:
				case chownOnly:
					c.p.Editor.Delete(ins)
					c.deleted = append(c.deleted, ins)
					c.chowned = true
					c.p.Note(convert.Change, "removed `%s` (line %d): the user is not created on the Debian build image; the final stage copies the application owned by 65532 instead", truncate(strings.TrimSpace(ins.Original), 60), ins.StartLine)
				default:
					return convert.Declinef([]string{"create the build user with Debian's useradd or build as the node user, and run `distill fix` again"},
						"line %d changes ownership to a user created with Alpine's adduser, which does not exist on the Debian build image", ins.StartLine)
				}
			}
		}
	}
	return nil
}

func alpineDecline(ins *dockerfile.Instruction, root *dockerfile.Stage) *convert.Result {
	return convert.Declinef([]string{
		"replace the apk step with its Debian equivalent (apt-get) on node:<major>-bookworm, or drop it if the full node image already has the tools, and run `distill fix` again",
		"keep the Alpine image as the runtime (a slim multi-stage build) instead of distroless",
	}, "%s is built on Alpine (%s) and line %d runs `%s`: the build must move to Debian (glibc) for distroless, and distill cannot translate Alpine package or user steps that are mixed with other commands",
		root.Describe(), root.Base.Familiar(), ins.StartLine, truncate(strings.TrimSpace(ins.Original), 70))
}

// usesName reports whether a user[:group] value names a created user.
func usesName(v string, names map[string]bool) bool {
	u, g, _ := strings.Cut(v, ":")
	return names[u] || (g != "" && names[g])
}

// replaceChown renders a COPY/ADD with a new --chown value.
func replaceChown(ins *dockerfile.Instruction, chown string) string {
	lines := ins.Lines()
	for i, l := range lines {
		for _, flag := range []string{"--chown=" + ins.Copy.Chown, "--chown=\"" + ins.Copy.Chown + "\""} {
			if strings.Contains(l, flag) {
				lines[i] = strings.Replace(l, flag, "--chown="+chown, 1)
				return strings.Join(lines, "\n")
			}
		}
	}
	return ins.Original
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", " ")), " ")
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
