package verify

import (
	"path"
	"regexp"
)

// language is the runtime family of the program a command finally runs.
type language int

const (
	langNone language = iota
	langPython
	langNode
	langJava
)

var pythonName = regexp.MustCompile(`^python([0-9]+(\.[0-9]+)?)?$`)

// languageOf recognises interpreters by file name: the name as invoked
// (a venv's bin/python3), or the file it resolves to (python3.13, node,
// java). Names are what the distroless images and the official builder
// images use; a renamed interpreter is not recognised, and then only the
// generic checks apply.
func languageOf(st *step) language {
	for _, p := range []string{st.invoked, st.res.Path, st.res.Real} {
		if p == "" {
			continue
		}
		switch b := path.Base(p); {
		case pythonName.MatchString(b):
			return langPython
		case b == "node" || b == "nodejs":
			return langNode
		case b == "java":
			return langJava
		}
	}
	return langNone
}

func (l language) String() string {
	switch l {
	case langPython:
		return "Python"
	case langNode:
		return "Node.js"
	case langJava:
		return "Java"
	}
	return "no known language runtime"
}
