package dockerfile

import (
	"fmt"
	"strconv"
	"strings"
)

// link resolves references between stages once every stage is known.
func (b *builder) link() {
	f := b.file
	for _, st := range f.Stages {
		if !st.Base.Unresolved && !st.Base.Scratch {
			// FROM <stage>: only earlier stages count, matched by name.
			if prev := f.stageBefore(st.From.From.Image, st.Index); prev != nil {
				st.BaseStage = prev
				st.addDep(prev)
			}
		}
		for _, in := range st.Instructions {
			var froms []string
			switch {
			case in.Copy != nil && in.Copy.From != "":
				froms = append(froms, in.Copy.From)
			case in.Run != nil:
				for _, m := range in.Run.Mounts {
					if m.From != "" {
						froms = append(froms, m.From)
					}
				}
			}
			for _, ref := range froms {
				if dep := f.stageBefore(ref, st.Index); dep != nil {
					st.addDep(dep)
				} else {
					st.ExternalCopies = append(st.ExternalCopies, ParseImageRef(ref))
				}
			}
		}
	}
}

func (s *Stage) addDep(dep *Stage) {
	for _, d := range s.DependsOn {
		if d == dep {
			return
		}
	}
	s.DependsOn = append(s.DependsOn, dep)
}

// stageBefore finds the stage a reference names (by name, or by index for
// numeric references), among the stages before index limit.
func (f *File) stageBefore(ref string, limit int) *Stage {
	if ref == "" {
		return nil
	}
	if n, err := strconv.Atoi(ref); err == nil {
		if n >= 0 && n < limit && n < len(f.Stages) {
			return f.Stages[n]
		}
		return nil
	}
	for i := limit - 1; i >= 0; i-- {
		if f.Stages[i].Name != "" && strings.EqualFold(f.Stages[i].Name, ref) {
			return f.Stages[i]
		}
	}
	return nil
}

// Stage returns the stage a reference names (name or index), or nil.
func (f *File) Stage(ref string) *Stage {
	return f.stageBefore(ref, len(f.Stages))
}

// Target returns the stage to analyse: the named one, or the last stage when
// name is "".
func (f *File) Target(name string) (*Stage, error) {
	if len(f.Stages) == 0 {
		return nil, fmt.Errorf("no build stages")
	}
	if name == "" {
		return f.Stages[len(f.Stages)-1], nil
	}
	if st := f.Stage(name); st != nil {
		return st, nil
	}
	var names []string
	for _, st := range f.Stages {
		if st.Name != "" {
			names = append(names, st.Name)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("target stage %q not found: the stages have no names", name)
	}
	return nil, fmt.Errorf("target stage %q not found; stages are: %s", name, strings.Join(names, ", "))
}

// Reachable returns the stages needed to build target, target included, in
// file order. Other stages are skipped by BuildKit and never affect the image.
func (f *File) Reachable(target *Stage) []*Stage {
	seen := map[*Stage]bool{}
	var walk func(*Stage)
	walk = func(s *Stage) {
		if seen[s] {
			return
		}
		seen[s] = true
		for _, d := range s.DependsOn {
			walk(d)
		}
	}
	walk(target)
	var out []*Stage
	for _, st := range f.Stages {
		if seen[st] {
			out = append(out, st)
		}
	}
	return out
}

// ImageChain returns the stages whose filesystem and configuration end up in
// the target image: the target and the stages it is built FROM, outermost
// first. Stages reached only through COPY --from are build stages.
func (f *File) ImageChain(target *Stage) []*Stage {
	var chain []*Stage
	seen := map[*Stage]bool{}
	for s := target; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*Stage{s}, chain...)
	}
	return chain
}

// RootBase returns the external image at the bottom of a stage's FROM chain.
func (s *Stage) RootBase() ImageRef {
	seen := map[*Stage]bool{}
	for st := s; st != nil && !seen[st]; st = st.BaseStage {
		seen[st] = true
		if st.BaseStage == nil {
			return st.Base
		}
	}
	return s.Base
}

// RootFrom returns the stage at the bottom of a stage's FROM chain: the one
// whose FROM names an external image.
func (s *Stage) RootFrom() *Stage {
	seen := map[*Stage]bool{}
	st := s
	for st.BaseStage != nil && !seen[st] {
		seen[st] = true
		st = st.BaseStage
	}
	return st
}
