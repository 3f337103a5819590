package verify

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Node.js checks (distroless.md §3.4): the entry script must exist where
// node resolves it (CMD ["node", "server.js"] under the node ENTRYPOINT
// asks for a script called "node"), and a package.json with dependencies
// needs its node_modules copied from the builder.

// nodeOptionsWithValue take the next argument as their value when not
// written as --opt=value.
var nodeOptionsWithValue = map[string]bool{
	"-r": true, "--require": true, "--import": true, "--loader": true,
	"--experimental-loader": true, "-C": true, "--conditions": true,
	"--input-type": true, "--title": true, "--env-file": true,
	"--inspect-port": true, "--debug-port": true, "--redirect-warnings": true,
	"--openssl-config": true, "--icu-data-dir": true, "--diagnostic-dir": true,
	"--report-dir": true, "--report-directory": true, "--disable-warning": true,
}

func (in *inspection) checkNode(prog *step) {
	subject := prog.res.Path
	args := prog.args
	script := ""
	for i := 0; i < len(args) && script == ""; i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				script = args[i+1]
			}
			i = len(args)
		case a == "-e" || a == "--eval" || a == "-p" || a == "--print" ||
			strings.HasPrefix(a, "--eval=") || strings.HasPrefix(a, "--print="):
			in.add("node-main", Pass, subject, "%s runs inline code (%s): no script file to check", subject, a)
			return
		case a == "-":
			in.add("node-main", Unknown, subject, "%s reads its program from standard input", subject)
			return
		case a == "-v" || a == "--version" || a == "-h" || a == "--help":
			in.add("node-main", Fail, subject, "%s %s prints and exits", subject, a)
			return
		case nodeOptionsWithValue[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			script = a
		}
	}
	if script == "" {
		in.add("node-main", Fail, subject, "%s is given no script: it would start the REPL and exit at once without a terminal", subject)
		return
	}
	main, tried := in.nodeResolveMain(absPath(script, in.cwd))
	if main == "" {
		where := ""
		if !strings.HasPrefix(script, "/") {
			where = " (relative to WORKDIR " + in.cwd + ")"
		}
		in.add("node-main", Fail, subject, "script %s%s: none of %s is in the image (node: Cannot find module)", script, where, strings.Join(tried, ", "))
		return
	}
	in.add("node-main", Pass, subject, "script %s resolves to %s", script, main)
	in.checkNodeModules(subject, main)
}

// nodeResolveMain applies Node's resolution of the main module: the file,
// the file with an extension, then a directory's package.json "main" or
// index file.
func (in *inspection) nodeResolveMain(p string) (string, []string) {
	var tried []string
	try := func(c string) bool {
		tried = append(tried, c)
		return in.fs.isFile(c, "/")
	}
	for _, c := range []string{p, p + ".js", p + ".json", p + ".node", p + ".mjs", p + ".cjs"} {
		if try(c) {
			return c, tried
		}
	}
	if in.fs.isDir(p, "/") {
		if pkg := in.readPackageJSON(path.Join(p, "package.json")); pkg != nil && pkg.Main != "" {
			m := path.Join(p, pkg.Main)
			for _, c := range []string{m, m + ".js", m + ".json", m + ".node", path.Join(m, "index.js")} {
				if try(c) {
					return c, tried
				}
			}
		}
		for _, c := range []string{"index.js", "index.json", "index.node"} {
			if try(path.Join(p, c)) {
				return path.Join(p, c), tried
			}
		}
	}
	return "", tried
}

type packageJSON struct {
	Main         string            `json:"main"`
	Dependencies map[string]string `json:"dependencies"`
}

func (in *inspection) readPackageJSON(p string) *packageJSON {
	r, err := in.fs.stat(p, "/")
	if err != nil || r.Node.kind != kindFile {
		return nil
	}
	data, err := in.fs.readSmall(r.Node, 4<<20)
	if err != nil {
		return nil
	}
	var pkg packageJSON
	if json.Unmarshal(data, &pkg) != nil {
		return &packageJSON{} // present but unreadable: treat as having no dependencies
	}
	return &pkg
}

// checkNodeModules finds the package.json nearest to the main script and
// looks each dependency up the way require() does: node_modules/<name> in
// the script's directory and every directory above it, then NODE_PATH.
func (in *inspection) checkNodeModules(subject, main string) {
	var pkgPath string
	var pkg *packageJSON
	for d := path.Dir(main); ; d = path.Dir(d) {
		if p := in.readPackageJSON(path.Join(d, "package.json")); p != nil {
			pkgPath, pkg = path.Join(d, "package.json"), p
			break
		}
		if d == "/" {
			break
		}
	}
	if pkg == nil {
		return // no package.json: nothing declares dependencies
	}
	if len(pkg.Dependencies) == 0 {
		in.add("node-modules", Pass, subject, "%s lists no dependencies", pkgPath)
		return
	}
	var lookIn []string
	for d := path.Dir(main); ; d = path.Dir(d) {
		if path.Base(d) != "node_modules" {
			lookIn = append(lookIn, path.Join(d, "node_modules"))
		}
		if d == "/" {
			break
		}
	}
	if np, ok := in.getenv("NODE_PATH"); ok {
		for _, d := range strings.Split(np, ":") {
			if d != "" {
				lookIn = append(lookIn, absPath(d, in.cwd))
			}
		}
	}
	names := make([]string, 0, len(pkg.Dependencies))
	for name := range pkg.Dependencies {
		names = append(names, name)
	}
	sort.Strings(names)
	var missing []string
	for _, name := range names {
		found := false
		for _, d := range lookIn {
			if in.fs.isDir(path.Join(d, name), "/") || in.fs.isFile(path.Join(d, name+".js"), "/") {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		in.add("node-modules", Pass, subject, "%s: all %s found in node_modules", pkgPath, plural(len(names), "dependency", "dependencies"))
		return
	}
	if !in.anyDir(lookIn) {
		in.add("node-modules", Fail, subject, "%s lists %s (%s) but there is no node_modules in %s or above", pkgPath, plural(len(names), "dependency", "dependencies"), shortList(names, 5), path.Dir(main))
		return
	}
	in.add("node-modules", Fail, subject, "%s lists %s; missing from node_modules: %s", pkgPath, plural(len(names), "dependency", "dependencies"), shortList(missing, 10))
}

func (in *inspection) anyDir(dirs []string) bool {
	for _, d := range dirs {
		if in.fs.isDir(d, "/") {
			return true
		}
	}
	return false
}

func shortList(xs []string, max int) string {
	if len(xs) <= max {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:max], ", "), len(xs)-max)
}
