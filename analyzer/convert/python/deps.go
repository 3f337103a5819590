package python

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
)

// requirement is one dependency a file names.
type requirement struct {
	Name   string // normalised (PEP 503)
	Extras []string
	Source string // file it came from
}

// project is what the repository context says about the Python project.
type project struct {
	// RequiresPython is the version specifier the project declares, and
	// where ("pyproject.toml requires-python").
	RequiresPython, RequiresFrom string
	// PythonVersionFile is the minor in .python-version ("" when absent).
	PythonVersionFile string
	// Scripts are console scripts the project defines.
	Scripts []string
}

var reqName = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[([^\]]*)\])?`)

func normalize(name string) string {
	name = strings.ToLower(name)
	return strings.NewReplacer("_", "-", ".", "-").Replace(name)
}

// parseRequirement parses a PEP 508 line ("psycopg[binary]>=3; python_version>'3'").
func parseRequirement(line, source string) (requirement, bool) {
	line = strings.TrimSpace(line)
	m := reqName.FindStringSubmatch(line)
	if m == nil {
		return requirement{}, false
	}
	r := requirement{Name: normalize(m[1]), Source: source}
	if m[3] != "" {
		for _, e := range strings.Split(m[3], ",") {
			if e = strings.TrimSpace(e); e != "" {
				r.Extras = append(r.Extras, normalize(e))
			}
		}
	}
	return r, true
}

// readRequirements reads a requirements file and the files it includes
// with -r (not -c: constraints install nothing).
func readRequirements(ctx *convert.RepoContext, name string, seen map[string]bool) ([]requirement, bool) {
	name = path.Clean(name)
	if seen[name] {
		return nil, true
	}
	seen[name] = true
	b, ok := ctx.Read(name)
	if !ok {
		return nil, false
	}
	var out []requirement
	lines := strings.Split(strings.ReplaceAll(string(b), "\\\n", " "), "\n")
	for _, line := range lines {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "", strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "-r ") || strings.HasPrefix(line, "--requirement"):
			f := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(line, "--requirement"), "-r"), "="))
			inc, _ := readRequirements(ctx, path.Join(path.Dir(name), f), seen)
			out = append(out, inc...)
		case strings.HasPrefix(line, "-"):
			// -c, -e, --index-url, --hash…: nothing to learn about names.
		default:
			if r, ok := parseRequirement(line, name); ok {
				out = append(out, r)
			}
		}
	}
	return out, true
}

// pyproject is the subset of pyproject.toml distill reads.
type pyproject struct {
	Project struct {
		RequiresPython string            `toml:"requires-python"`
		Dependencies   []string          `toml:"dependencies"`
		Scripts        map[string]string `toml:"scripts"`
	} `toml:"project"`
	Tool struct {
		Poetry struct {
			Dependencies map[string]any `toml:"dependencies"`
			Scripts      map[string]any `toml:"scripts"`
		} `toml:"poetry"`
	} `toml:"tool"`
}

// readPyproject returns the project facts and its main dependencies.
func readPyproject(ctx *convert.RepoContext) (*pyproject, []requirement, bool) {
	b, ok := ctx.Read("pyproject.toml")
	if !ok {
		return nil, nil, false
	}
	var pp pyproject
	if _, err := toml.Decode(string(b), &pp); err != nil {
		return nil, nil, false
	}
	var reqs []requirement
	for _, d := range pp.Project.Dependencies {
		if r, ok := parseRequirement(d, "pyproject.toml"); ok {
			reqs = append(reqs, r)
		}
	}
	for name, v := range pp.Tool.Poetry.Dependencies {
		if normalize(name) == "python" {
			continue
		}
		r := requirement{Name: normalize(name), Source: "pyproject.toml"}
		if t, ok := v.(map[string]any); ok {
			if ex, ok := t["extras"].([]any); ok {
				for _, e := range ex {
					if s, ok := e.(string); ok {
						r.Extras = append(r.Extras, normalize(s))
					}
				}
			}
		}
		reqs = append(reqs, r)
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Name < reqs[j].Name })
	return &pp, reqs, true
}

// lockPackages reads poetry.lock or uv.lock package names. Packages only
// in non-main groups (poetry's groups/category) are skipped.
func lockPackages(ctx *convert.RepoContext, name string) []requirement {
	b, ok := ctx.Read(name)
	if !ok {
		return nil
	}
	var lock struct {
		Package []struct {
			Name     string   `toml:"name"`
			Category string   `toml:"category"`
			Groups   []string `toml:"groups"`
		} `toml:"package"`
	}
	if _, err := toml.Decode(string(b), &lock); err != nil {
		return nil
	}
	var out []requirement
	for _, p := range lock.Package {
		if p.Category != "" && p.Category != "main" {
			continue
		}
		if len(p.Groups) > 0 && !slices.Contains(p.Groups, "main") {
			continue
		}
		out = append(out, requirement{Name: normalize(p.Name), Source: name})
	}
	return out
}

// pipfile reads Pipfile packages and its Python requirement.
func pipfile(ctx *convert.RepoContext) ([]requirement, string) {
	b, ok := ctx.Read("Pipfile")
	if !ok {
		return nil, ""
	}
	var pf struct {
		Packages map[string]any    `toml:"packages"`
		Requires map[string]string `toml:"requires"`
	}
	if _, err := toml.Decode(string(b), &pf); err != nil {
		return nil, ""
	}
	var out []requirement
	for name, v := range pf.Packages {
		r := requirement{Name: normalize(name), Source: "Pipfile"}
		if t, ok := v.(map[string]any); ok {
			if ex, ok := t["extras"].([]any); ok {
				for _, e := range ex {
					if s, ok := e.(string); ok {
						r.Extras = append(r.Extras, normalize(s))
					}
				}
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	py := pf.Requires["python_full_version"]
	if py == "" {
		py = pf.Requires["python_version"]
	}
	return out, py
}

// pipfileLock reads Pipfile.lock's default packages.
func pipfileLock(ctx *convert.RepoContext) []requirement {
	b, ok := ctx.Read("Pipfile.lock")
	if !ok {
		return nil
	}
	var lock struct {
		Default map[string]json.RawMessage `json:"default"`
	}
	if json.Unmarshal(b, &lock) != nil {
		return nil
	}
	var out []requirement
	for name := range lock.Default {
		out = append(out, requirement{Name: normalize(name), Source: "Pipfile.lock"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// pythonVersionFile reads the minor from .python-version ("3.12.4" → 3.12).
func pythonVersionFile(ctx *convert.RepoContext) string {
	b, ok := ctx.Read(".python-version")
	if !ok {
		return ""
	}
	line := strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	line = strings.TrimPrefix(line, "cpython@")
	line = strings.TrimPrefix(line, "cpython-")
	if v := catalog.TagVersion(line); strings.Count(v, ".") >= 1 {
		return catalog.Minor(v)
	}
	return ""
}

// nativeProblem returns the first dependency that needs a system library
// python3-debian13 does not have, with the fix.
func nativeProblem(c *catalog.Catalog, reqs []requirement) (requirement, *catalog.NativePackage) {
	names := map[string]bool{}
	for _, r := range reqs {
		names[r.Name] = true
	}
	for _, r := range reqs {
		np := c.PythonNative(r.Name)
		if np == nil {
			continue
		}
		if np.WhenExtraMissing != "" {
			if slices.Contains(r.Extras, np.WhenExtraMissing) || names[r.Name+"-"+np.WhenExtraMissing] {
				continue
			}
		}
		return r, np
	}
	return requirement{}, nil
}

// satisfies reports whether version (3.13.5) matches a specifier set:
// PEP 440 (">=3.10,<3.14", "~=3.11", "==3.12.*") or Poetry ("^3.11",
// "~3.11", ">=3.9 || ^3.12", "3.11"). ok is false when it cannot tell.
func satisfies(version, spec string) (match, ok bool) {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "*" {
		return true, true
	}
	if strings.Contains(spec, "||") {
		known := true
		for _, alt := range strings.Split(spec, "||") {
			m, k := satisfies(version, alt)
			if m && k {
				return true, true
			}
			known = known && k
		}
		return false, known
	}
	parts := strings.FieldsFunc(spec, func(r rune) bool { return r == ',' })
	if len(parts) == 1 && strings.Count(spec, " ") > 0 && !strings.ContainsAny(spec, ",") {
		// Poetry allows space-separated constraints: ">=3.9 <3.13".
		parts = strings.Fields(spec)
	}
	for _, p := range parts {
		m, k := clause(version, strings.TrimSpace(p))
		if !k {
			return false, false
		}
		if !m {
			return false, true
		}
	}
	return true, true
}

var clauseRE = regexp.MustCompile(`^(===|==|!=|~=|>=|<=|>|<|\^|~|=)?\s*v?([0-9]+(?:\.[0-9]+)*)(\.\*)?$`)

func clause(version, c string) (bool, bool) {
	m := clauseRE.FindStringSubmatch(c)
	if m == nil {
		return false, false
	}
	op, v, wild := m[1], m[2], m[3] != ""
	cmp := catalog.CompareVersions(version, v)
	prefix := func() bool {
		vs, ws := strings.Split(version, "."), strings.Split(v, ".")
		if len(ws) > len(vs) {
			return false
		}
		for i := range ws {
			if vs[i] != ws[i] {
				return false
			}
		}
		return true
	}
	switch op {
	case "", "=":
		// Poetry's bare "3.11" means 3.11.*.
		return prefix(), true
	case "==", "===":
		if wild {
			return prefix(), true
		}
		return cmp == 0, true
	case "!=":
		if wild {
			return !prefix(), true
		}
		return cmp != 0, true
	case ">=":
		return cmp >= 0, true
	case "<=":
		return cmp <= 0, true
	case ">":
		return cmp > 0, true
	case "<":
		return cmp < 0, true
	case "~=":
		ws := strings.Split(v, ".")
		if len(ws) < 2 {
			return false, false
		}
		upper := bump(ws[:len(ws)-1])
		return cmp >= 0 && catalog.CompareVersions(version, upper) < 0, true
	case "^":
		ws := strings.Split(v, ".")
		// ^3.11 → >=3.11,<4.0; ^0.2 → <0.3.
		i := 0
		for i < len(ws)-1 && ws[i] == "0" {
			i++
		}
		return cmp >= 0 && catalog.CompareVersions(version, bump(ws[:i+1])) < 0, true
	case "~":
		ws := strings.Split(v, ".")
		keep := ws[:1]
		if len(ws) > 1 {
			keep = ws[:2]
		}
		return cmp >= 0 && catalog.CompareVersions(version, bump(keep)) < 0, true
	}
	return false, false
}

// bump increments the last component: [3 11] → "3.12".
func bump(ws []string) string {
	out := append([]string(nil), ws...)
	n, _ := strconv.Atoi(out[len(out)-1])
	out[len(out)-1] = strconv.Itoa(n + 1)
	return strings.Join(out, ".")
}

func describeReq(r requirement) string {
	s := r.Name
	if len(r.Extras) > 0 {
		s += "[" + strings.Join(r.Extras, ",") + "]"
	}
	return fmt.Sprintf("%s (%s)", s, r.Source)
}
