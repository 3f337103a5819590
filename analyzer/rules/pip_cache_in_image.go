package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// PipCacheInImage reports pip installs whose download cache ends up in the
// shipped image.
var PipCacheInImage = &analysis.Rule{
	Name:     "PipCacheInImage",
	Summary:  "pip install without --no-cache-dir leaves pip's cache in the image.",
	Doc:      mustDoc("PipCacheInImage"),
	URL:      ruleURL("PipCacheInImage"),
	Severity: analysis.Warning,
	Category: analysis.Hygiene,
	Hadolint: []string{"DL3042"},
	Run:      runPipCacheInImage,
}

// pipInstallWord matches `pip install`, `python -m pip install` and `uv pip
// install` on one source line; the match ends right after "install".
var pipInstallWord = regexp.MustCompile(`(?:^|[\s;&|(/"'])(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip[0-9.]*|uv\s+pip)\s+install\b`)

func runPipCacheInImage(p *analysis.Pass) {
	for _, st := range p.Reachable() {
		shipped := p.InChain(st)
		for _, in := range st.All(dockerfile.KindRun) {
			s := script(p, in)
			if s == nil {
				continue
			}
			pis := s.PipInstalls()
			ins := map[int]string{}
			var first *shell.PipInstall
			var firstDir string
			var copied *dockerfile.Instruction
			for i := range pis {
				pi := &pis[i]
				pm := cat.PackageManager(pipTool(pi))
				if pm == nil {
					continue
				}
				dir, writes := pipCacheDir(p, in, s, pi, pm)
				if !writes {
					continue
				}
				if !shipped {
					cp := copiedOut(p, st, dir)
					if cp == nil {
						continue
					}
					if copied == nil {
						copied = cp
					}
				}
				ins[i] = " " + pm.NoCacheFlag
				if first == nil {
					first, firstDir = pi, dir
				}
			}
			if first == nil {
				continue
			}
			pm := cat.PackageManager(pipTool(first))
			where := firstDir
			if where == "" {
				where = "~/" + pm.Cache
			}
			var f *analysis.Finding
			if shipped {
				f = p.Reportf(analysis.SpanOf(in), "%s in %s runs %s without %s, so the %s cache (%s) stays in the layer, often as large as the installed packages; add %s or mount a cache (RUN --mount=type=cache,target=%s)",
					runAt(in), shippedStage(p, st), cmdText(first.Cmd), pm.NoCacheFlag, pm.Tool, where, pm.NoCacheFlag, where)
			} else {
				f = p.Reportf(analysis.SpanOf(in), "%s in build %s runs %s without %s, and %s (line %d) copies its cache (%s) into the image; add %s, or copy only what the app needs",
					runAt(in), st.Describe(), cmdText(first.Cmd), pm.NoCacheFlag, copyText(copied), copied.StartLine, where, pm.NoCacheFlag)
			}
			if edits := runInsertions(in, pipInstallWord, len(pis), ins); edits != nil {
				f.WithFix("Disable the pip cache", edits...)
			}
		}
	}
}

func pipTool(pi *shell.PipInstall) string {
	if pi.UV {
		return "uv"
	}
	return "pip"
}

// pipCacheDir returns where a pip (or uv pip) install caches downloads and
// whether it leaves them in the layer: not when the cache is disabled by
// flag or environment, mounted as a cache or tmpfs, or removed later in the
// same RUN. dir is "" when the location is unknown.
func pipCacheDir(p *analysis.Pass, in *dockerfile.Instruction, s *shell.Script, pi *shell.PipInstall, pm *catalog.PackageManager) (string, bool) {
	c := pi.Cmd
	env := runEnv(p, in, c)
	if (pi.NoCacheDir && pm.Tool == "pip") || c.HasFlag(pm.NoCacheFlag) || (pm.Tool == "uv" && c.HasFlag("-n")) {
		return "", false
	}
	if v, ok := env[pm.NoCacheEnv]; ok && v != "" && (pm.Tool == "pip" || truthy(v)) {
		// pip treats any valid boolean in PIP_NO_CACHE_DIR as "disable"
		// (see pip's no_cache_dir_callback); uv needs a true value.
		return "", false
	}
	dir := ""
	if v, ok := c.Flag("--cache-dir"); ok && v != "" {
		if wd, ok := workdirOf(p, in); ok {
			dir = joinPath(wd, v)
		}
	} else if v := env[pm.CacheEnv]; strings.HasPrefix(v, "/") {
		dir = path.Clean(v)
	} else if v := env["XDG_CACHE_HOME"]; strings.HasPrefix(v, "/") {
		dir = path.Join(v, path.Base(pm.Cache))
	} else if home, ok := homeAt(in.Stage, in, env); ok {
		dir = path.Join(home, pm.Cache)
	}
	if dir != "" && mountCovers(in, dir) {
		return dir, false
	}
	if dir == "" && in.Run != nil {
		for _, m := range in.Run.Mounts {
			if (m.Type == "cache" || m.Type == "tmpfs") && (strings.HasSuffix(path.Clean(m.Target), "/"+pm.Cache) || strings.HasSuffix(path.Clean(m.Target), "/"+path.Dir(pm.Cache))) {
				return "", false
			}
		}
	}
	if pipCacheRemoved(s, c, dir, env) {
		return dir, false
	}
	return dir, true
}

// pipCacheRemoved reports whether the script purges the cache after the
// install: pip cache purge, uv cache clean, or rm of the cache directory
// (or a directory containing it).
func pipCacheRemoved(s *shell.Script, install *shell.Command, dir string, env map[string]string) bool {
	after := false
	for _, c := range s.Commands {
		if c == install {
			after = true
			continue
		}
		if !after {
			continue
		}
		switch {
		case len(c.Args) >= 2 && c.Args[0] == "cache" && (pipName(c) || c.Is("uv")) && (c.Args[1] == "purge" || c.Args[1] == "clean" || c.Args[1] == "prune" || c.Args[1] == "remove"):
			return true
		case c.Is("rm") && dir != "":
			for _, a := range c.Args {
				if strings.HasPrefix(a, "-") {
					continue
				}
				a = strings.TrimSuffix(a, "/*")
				if strings.HasPrefix(a, "~/") {
					a = "$HOME" + a[1:]
				}
				if v, ok := expandEnv(a, env); ok && strings.HasPrefix(v, "/") && within(dir, v) {
					return true
				}
			}
		}
	}
	return false
}

func pipName(c *shell.Command) bool {
	b := c.Base()
	return strings.HasPrefix(b, "pip") || strings.HasPrefix(b, "python")
}

// copiedOut returns a COPY of the shipped image that copies dir (or a
// directory containing it) out of build stage st or a stage built FROM
// it, or nil.
func copiedOut(p *analysis.Pass, st *dockerfile.Stage, dir string) *dockerfile.Instruction {
	if dir == "" {
		return nil
	}
	for _, cs := range p.Chain {
		for _, in := range cs.All(dockerfile.KindCopy) {
			from := copyFromStage(p.File, in)
			if from == nil || !builtOn(from, st) {
				continue
			}
			for _, src := range in.Copy.Sources {
				if within(dir, joinPath("/", src)) {
					return in
				}
			}
		}
	}
	return nil
}

// builtOn reports whether stage s is base or built FROM it.
func builtOn(s, base *dockerfile.Stage) bool {
	for _, x := range stageChain(s) {
		if x == base {
			return true
		}
	}
	return false
}
