package dockerfile

import (
	"regexp"
	"sort"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// predefinedArgs are the platform ARGs BuildKit provides in the global scope
// without a declaration. distill analyses for linux/amd64 unless a build arg
// says otherwise.
var predefinedArgs = map[string]string{
	"BUILDPLATFORM":  "linux/amd64",
	"BUILDOS":        "linux",
	"BUILDARCH":      "amd64",
	"BUILDVARIANT":   "",
	"TARGETPLATFORM": "linux/amd64",
	"TARGETOS":       "linux",
	"TARGETARCH":     "amd64",
	"TARGETVARIANT":  "",
}

// argScope tracks global ARG values for expanding FROM lines.
type argScope struct {
	buildArgs map[string]string
	values    map[string]string
}

func newArgScope(buildArgs map[string]string) *argScope {
	s := &argScope{buildArgs: buildArgs, values: map[string]string{}}
	for k, v := range predefinedArgs {
		s.values[k] = v
	}
	for k, v := range buildArgs {
		if _, ok := predefinedArgs[k]; ok {
			s.values[k] = v
		}
	}
	return s
}

// envMap adapts a map to BuildKit's shell.EnvGetter.
type envMap map[string]string

func (m envMap) Get(k string) (string, bool) { v, ok := m[k]; return v, ok }

func (m envMap) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *argScope) declareGlobal(a *Arg, escape rune) {
	if a == nil {
		return
	}
	lex := shell.NewLex(escape)
	for _, d := range a.Defs {
		if v, ok := s.buildArgs[d.Name]; ok {
			s.values[d.Name] = v
			continue
		}
		if d.Default == nil {
			// Declared without a value: references stay unresolved
			// (predefined platform ARGs keep their values).
			if _, predefined := predefinedArgs[d.Name]; !predefined {
				delete(s.values, d.Name)
			}
			continue
		}
		v, _, err := lex.ProcessWord(*d.Default, envMap(s.values))
		if err != nil {
			v = *d.Default
		}
		s.values[d.Name] = v
	}
}

var varRef = regexp.MustCompile(`\$(\{([A-Za-z_][A-Za-z0-9_]*)([:]?[-+?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expandImage expands ARG references in a FROM image and splits the result.
func (s *argScope) expandImage(raw string, escape rune) ImageRef {
	lex := shell.NewLex(escape)
	res, err := lex.ProcessWordWithMatches(raw, envMap(s.values))
	if err != nil {
		ref := ParseImageRef(raw)
		ref.Unresolved = true
		return ref
	}
	ref := ParseImageRef(res.Result)
	// A reference is unresolved when it uses a variable that has no value
	// and no default in the reference itself: ${V:-x} and ${V:+x} are
	// well-defined without V, $V and ${V} are not.
	for _, m := range varRef.FindAllStringSubmatch(raw, -1) {
		name, modifier := m[2], m[3]
		if name == "" {
			name = m[4]
		}
		if _, ok := s.values[name]; ok {
			continue
		}
		if modifier == "" {
			ref.Unresolved = true
			break
		}
	}
	return ref
}
