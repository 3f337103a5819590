package node

import (
	"encoding/json"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// pkgJSON is what the recipe reads from a package.json.
type pkgJSON struct {
	// Path is the file's path in the build context.
	Path            string            `json:"-"`
	Name            string            `json:"name"`
	Main            string            `json:"main"`
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Optional        map[string]string `json:"optionalDependencies"`
	PackageManager  string            `json:"packageManager"`
	Bin             json.RawMessage   `json:"bin"`
}

func parsePkgJSON(ctxPath string, b []byte) *pkgJSON {
	var p pkgJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil
	}
	p.Path = ctxPath
	return &p
}

// Dir is the package's directory in the build context ("" for the root).
func (p *pkgJSON) Dir() string {
	d := path.Dir(p.Path)
	if d == "." {
		return ""
	}
	return d
}

// prodDependency reports whether a package is installed in production
// (dependencies or optionalDependencies).
func (p *pkgJSON) prodDependency(name string) bool {
	_, dep := p.Dependencies[name]
	_, opt := p.Optional[name]
	return dep || opt
}

// devOnly reports whether a package is only a devDependency.
func (p *pkgJSON) devOnly(name string) bool {
	_, dev := p.DevDependencies[name]
	return dev && !p.prodDependency(name)
}

// binPath returns the file a package's bin field names for a command.
func (p *pkgJSON) binPath(command string) (string, bool) {
	if len(p.Bin) == 0 {
		return "", false
	}
	var single string
	if err := json.Unmarshal(p.Bin, &single); err == nil {
		// "bin": "cli.js" names the command after the package.
		if path.Base(p.Name) == command {
			return path.Clean(single), true
		}
		return "", false
	}
	var m map[string]string
	if err := json.Unmarshal(p.Bin, &m); err == nil {
		if v, ok := m[command]; ok {
			return path.Clean(v), true
		}
	}
	return "", false
}

// packageManagerTool returns "yarn", "pnpm" or "npm" and the major of the
// packageManager field ("yarn@4.1.0" → yarn, 4).
func (p *pkgJSON) packageManagerTool() (string, string) {
	if p == nil || p.PackageManager == "" {
		return "", ""
	}
	tool, ver, _ := strings.Cut(p.PackageManager, "@")
	major, _, _ := strings.Cut(ver, ".")
	return tool, major
}

// scriptCommand is an npm script (or a command line) that is exactly one
// simple command, optionally preceded by VAR=value assignments.
type scriptCommand struct {
	Env   []dockerfile.KeyValue
	Words []string
}

// parseScript reads a package.json script the way npm runs it (sh -c):
// only a single simple command with literal words is accepted. Operators
// (&&, ;, |), redirections, background jobs, subshells, globs and
// variable or command expansions return ok=false.
func parseScript(src string) (scriptCommand, bool) {
	var sc scriptCommand
	f, err := syntax.NewParser().Parse(strings.NewReader(src), "")
	if err != nil || len(f.Stmts) != 1 {
		return sc, false
	}
	st := f.Stmts[0]
	if len(st.Redirs) > 0 || st.Background || st.Negated || st.Coprocess {
		return sc, false
	}
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return sc, false
	}
	for _, a := range call.Assigns {
		if a.Name == nil || a.Append || a.Naked || a.Index != nil || a.Array != nil {
			return sc, false
		}
		v := ""
		if a.Value != nil {
			words, ok := shell.SimpleCommand(src[a.Value.Pos().Offset():a.Value.End().Offset()])
			if !ok || len(words) != 1 {
				return sc, false
			}
			v = words[0]
		}
		sc.Env = append(sc.Env, dockerfile.KeyValue{Key: a.Name.Value, Value: v})
	}
	rest := src[call.Args[0].Pos().Offset():call.Args[len(call.Args)-1].End().Offset()]
	words, ok := shell.SimpleCommand(rest)
	if !ok {
		return sc, false
	}
	sc.Words = words
	return sc, true
}
