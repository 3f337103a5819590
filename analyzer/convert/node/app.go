package node

import (
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// packageJSON reads the package.json that sits in the working directory
// of a stage, tracing the COPY that put it there back to the build
// context.
func (c *conv) packageJSON(st *dockerfile.Stage, workdir string) *pkgJSON {
	if workdir == "" {
		workdir = "/"
	}
	src, ok := c.contextSource(st, path.Join(workdir, "package.json"), 0)
	if !ok {
		return nil
	}
	b, ok := c.in.Context.Read(src)
	if !ok {
		return nil
	}
	return parsePkgJSON(src, b)
}

// contextSource returns the build-context path of the file at imagePath
// in a stage, following COPY and COPY --from back to the context.
func (c *conv) contextSource(st *dockerfile.Stage, imagePath string, depth int) (string, bool) {
	if st == nil || depth > 8 {
		return "", false
	}
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := st; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		s := chain[i]
		copies := s.All(dockerfile.KindCopy, dockerfile.KindAdd)
		for j := len(copies) - 1; j >= 0; j-- {
			ins := copies[j]
			if len(ins.Copy.Heredocs) > 0 {
				continue
			}
			dst := convert.Absolute(c.in.WorkdirAt(s, ins), ins.Copy.Dest)
			dirDest := strings.HasSuffix(ins.Copy.Dest, "/") || len(ins.Copy.Sources) > 1 || ins.Copy.Dest == "." || ins.Copy.Dest == "./"
			for _, src := range ins.Copy.Sources {
				from, ok := copyMatch(src, dst, dirDest, imagePath)
				if !ok {
					continue
				}
				if ins.Copy.From == "" {
					return strings.TrimPrefix(path.Clean(from), "/"), true
				}
				other := c.in.File.Stage(ins.Copy.From)
				if other == nil {
					return "", false
				}
				return c.contextSource(other, convert.Absolute("/", from), depth+1)
			}
		}
	}
	return "", false
}

// copyMatch reports whether `COPY src dst` puts imagePath in place and
// which source path it came from.
func copyMatch(src, dst string, dirDest bool, imagePath string) (string, bool) {
	clean := path.Clean(src)
	if clean == "." || clean == "/" {
		// The whole context or stage root, into dst.
		if imagePath == dst {
			return clean, true
		}
		if rel, ok := within(dst, imagePath); ok {
			return path.Join(clean, rel), true
		}
		return "", false
	}
	if strings.ContainsAny(path.Base(clean), "*?[") {
		if path.Dir(imagePath) != dst && !(!dirDest && imagePath == dst) {
			return "", false
		}
		if ok, _ := path.Match(path.Base(clean), path.Base(imagePath)); ok {
			return path.Join(path.Dir(clean), path.Base(imagePath)), true
		}
		return "", false
	}
	if !dirDest {
		if imagePath == dst {
			return clean, true
		}
		// A directory copied as dst.
		if rel, ok := within(dst, imagePath); ok {
			return path.Join(clean, rel), true
		}
		return "", false
	}
	if imagePath == path.Join(dst, path.Base(clean)) {
		return clean, true
	}
	// A directory's contents copied into dst (COPY dir/ /dst/).
	if !strings.Contains(path.Base(clean), ".") {
		if rel, ok := within(dst, imagePath); ok {
			return path.Join(clean, rel), true
		}
	}
	return "", false
}

// within reports whether p is inside dir and returns the relative path.
func within(dir, p string) (string, bool) {
	dir, p = path.Clean(dir), path.Clean(p)
	if dir == "/" {
		return strings.TrimPrefix(p, "/"), p != "/"
	}
	if strings.HasPrefix(p, dir+"/") {
		return p[len(dir)+1:], true
	}
	return "", false
}

// inside reports whether p is dir or inside it.
func inside(dir, p string) bool {
	_, ok := within(dir, p)
	return ok || path.Clean(dir) == path.Clean(p)
}

// locateApp finds the application directory of the shipped image (the
// WORKDIR, or the directory the sources are copied to, widened to a
// COPY destination that contains it) and the files copied elsewhere.
func (c *conv) locateApp() *convert.Result {
	in := c.in
	app := ""
	if wd := c.rt.Workdir; wd != "" && wd != "/" && !strings.Contains(wd, "$") {
		app = wd
	}
	type dest struct {
		ins  *dockerfile.Instruction
		st   *dockerfile.Stage
		dir  string // directory the COPY fills
		file bool   // a single file to a file path
	}
	var dests []dest
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			dst := convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
			dirLike := strings.HasSuffix(ins.Copy.Dest, "/") || len(ins.Copy.Sources) > 1 || ins.Copy.Dest == "." || ins.Copy.Dest == "./"
			for _, s := range ins.Copy.Sources {
				if p := path.Clean(s); p == "." || !strings.Contains(path.Base(p), ".") {
					dirLike = true // a directory (or the whole context)
				}
			}
			d := dest{ins: ins, st: st, dir: dst}
			if !dirLike {
				d.dir, d.file = path.Dir(dst), true
			}
			dests = append(dests, d)
		}
	}
	if app == "" {
		// No WORKDIR: the directory the sources (or package.json) go to.
		for _, d := range dests {
			for _, s := range d.ins.Copy.Sources {
				if b := path.Base(path.Clean(s)); b == "." || strings.HasPrefix(b, "package") {
					if d.dir != "/" && app == "" {
						app = d.dir
					}
				}
			}
		}
	}
	if app == "" {
		return convert.Declinef([]string{"set a WORKDIR (for example /app) and copy the application there, then run `distill fix` again"},
			"distill cannot tell which directory holds the application (no WORKDIR, and the sources are copied to /)")
	}
	for _, d := range dests {
		if d.dir != "/" && inside(d.dir, app) && d.dir != app && !d.file {
			app = d.dir // e.g. WORKDIR /app/apps/api with the repository in /app
		}
	}
	if app == "/" {
		return convert.Declinef([]string{"copy the application to its own directory (WORKDIR /app) and run `distill fix` again"},
			"the application is copied to /, so distill cannot copy it without the rest of the build image")
	}
	c.appDir = app
	for _, d := range dests {
		dst := convert.Absolute(in.WorkdirAt(d.st, d.ins), d.ins.Copy.Dest)
		if inside(app, dst) || (d.file && inside(app, d.dir)) {
			continue
		}
		if inside(dst, app) {
			continue
		}
		if d.file {
			c.outside = convert.AppendUnique(c.outside, dst)
			continue
		}
		literal := true
		for _, s := range d.ins.Copy.Sources {
			if strings.ContainsAny(s, "*?[$") {
				literal = false
			}
		}
		if !literal || strings.Contains(dst, "$") {
			c.p.Note(convert.Risk, "line %d copies files to %s, outside the application directory %s; distill does not know their names, so the new image does not contain them — add COPY lines if the application reads them", d.ins.StartLine, dst, app)
			continue
		}
		if len(d.ins.Copy.Sources) == 1 && !strings.HasSuffix(d.ins.Copy.Dest, "/") {
			c.outside = convert.AppendUnique(c.outside, dst)
			continue
		}
		for _, s := range d.ins.Copy.Sources {
			c.outside = convert.AppendUnique(c.outside, path.Join(dst, path.Base(path.Clean(s))))
		}
	}
	return nil
}

// checkScriptLocation declines when the script node runs is neither in
// the application directory nor among the files copied elsewhere.
func (c *conv) checkScriptLocation(l *launch) *convert.Result {
	if l.Script == "" {
		return nil
	}
	wd := c.rt.Workdir
	if wd == "" {
		wd = "/"
	}
	p := convert.Absolute(wd, l.Script)
	if strings.HasPrefix(l.Script, "node_modules/") && path.Clean(wd) != c.appDir {
		// A workspace package: npm puts the workspace's and the root's
		// node_modules/.bin on PATH, and the CLI's package is often hoisted
		// to the root.
		return convert.Declinef([]string{"run the CLI's JavaScript file by its path from the workspace root (for example `CMD [\"node\", \"/app/node_modules/next/dist/bin/next\", \"start\"]`) and run `distill fix` again"},
			"the application starts a CLI from node_modules inside a workspace (%s); its package may be installed there or hoisted to %s/node_modules, and distill cannot tell which", wd, c.appDir)
	}
	if inside(c.appDir, p) {
		return nil
	}
	for _, o := range c.outside {
		if inside(o, p) {
			return nil
		}
	}
	return convert.Declinef([]string{"keep the script inside the application directory (" + c.appDir + ") and run `distill fix` again"},
		"node runs %s, which is outside the application directory %s, and distill cannot tell how it got into the image", p, c.appDir)
}

// writableDirs returns the directories the app must be able to write:
// VOLUMEs and directories created with mkdir in the shipped stages; it
// sets chowned when the original gave the application directory to its
// (non-root) user.
func (c *conv) writableDirs() []string {
	in := c.in
	var out []string
	deleted := map[*dockerfile.Instruction]bool{}
	for _, d := range c.deleted {
		deleted[d] = true
	}
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			dst := convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
			if ins.Copy.Chown != "" && !isRoot(ins.Copy.Chown) && inside(c.appDir, dst) {
				c.chowned = true
			}
		}
		for _, rc := range in.Commands(st) {
			wd := in.WorkdirAt(st, rc.Instruction)
			switch {
			case rc.Is("chown") && !deleted[rc.Instruction]:
				pos := rc.Positionals()
				if len(pos) < 2 || isRoot(pos[0]) {
					continue
				}
				for _, p := range pos[1:] {
					abs := convert.Absolute(wd, p)
					if inside(abs, c.appDir) {
						c.chowned = true
					} else if !strings.ContainsAny(p, "$*?") {
						out = convert.AppendUnique(out, abs)
					}
				}
			case rc.Is("mkdir") && !deleted[rc.Instruction]:
				for _, p := range rc.Positionals("-m", "--mode") {
					abs := convert.Absolute(wd, p)
					_, sub := within(c.appDir, abs)
					if strings.ContainsAny(p, "$*?{") || inside(abs, c.appDir) || strings.Contains(abs, "node_modules") || (!sub && cacheDir(abs)) {
						continue
					}
					out = convert.AppendUnique(out, abs)
				}
			}
		}
	}
	for _, v := range c.rt.Volumes {
		out = convert.AppendUnique(out, v)
	}
	return out
}

// cacheDir reports directories that hold home directories or caches of
// the build image, not application data.
func cacheDir(p string) bool {
	for _, d := range []string{"/home", "/root", "/tmp", "/var/cache", "/usr", "/opt", "/etc"} {
		if inside(d, p) {
			return true
		}
	}
	return false
}

func isRoot(u string) bool {
	user, _, _ := strings.Cut(u, ":")
	return user == "root" || user == "0"
}
