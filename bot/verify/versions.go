package verify

import (
	"debug/elf"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// checkVersions compares every version need in the link map with the
// definitions of the library that must provide it, as ld.so does at
// startup. A library without version definitions satisfies any need (ld.so
// accepts it), and weak needs are optional.
func (in *inspection) checkVersions(subject string, objs []*loadedObject, loaded map[string]*loadedObject) {
	var failures []string
	checked, unresolved := 0, 0
	highestNeed := ""
	for _, o := range objs {
		if o == nil || o.info == nil {
			continue
		}
		for _, vn := range o.info.VerNeeds {
			lib := loaded[vn.Name]
			for _, dep := range vn.Needs {
				if dep.Flags&elf.VER_FLG_WEAK != 0 {
					continue
				}
				if strings.HasPrefix(dep.Dep, "GLIBC_") && isVersionNumber(strings.TrimPrefix(dep.Dep, "GLIBC_")) && compareGlibc(dep.Dep, highestNeed) > 0 {
					highestNeed = dep.Dep
				}
				if lib == nil || lib.info == nil {
					unresolved++
					continue
				}
				checked++
				if lib.info.VerDefs != nil && !lib.info.VerDefs[dep.Dep] {
					failures = append(failures, fmt.Sprintf("%s needs %s from %s, which %s does not define (it has up to %s)",
						o.displayName(), dep.Dep, vn.Name, lib.path, highestDefined(lib.info.VerDefs, versionFamily(dep.Dep))))
				}
			}
		}
	}
	libc := loaded["libc.so.6"]
	provided := "unknown"
	if libc != nil && libc.info != nil && libc.info.VerDefs != nil {
		provided = highestDefined(libc.info.VerDefs, "GLIBC_")
	}
	switch {
	case len(failures) > 0:
		in.add("elf-versions", Fail, subject, "%s", strings.Join(failures, "; "))
	case checked == 0 && unresolved == 0:
		in.add("elf-versions", Pass, subject, "%s and its libraries need no symbol versions", subject)
	case checked == 0:
		in.add("elf-versions", Unknown, subject, "%s: %d version needs could not be checked because their libraries are missing", subject, unresolved)
	default:
		need := highestNeed
		if need == "" {
			need = "none"
		}
		detail := fmt.Sprintf("%s: %d version needs satisfied; highest GLIBC needed %s, image libc.so.6 provides up to %s", subject, checked, need, provided)
		if unresolved > 0 {
			detail += fmt.Sprintf(" (%d more not checked: their libraries are missing)", unresolved)
		}
		in.add("elf-versions", Pass, subject, "%s", detail)
	}
}

func (o *loadedObject) displayName() string {
	if o.parent == nil {
		return o.name
	}
	return o.path
}

// versionFamily is the prefix shared by a library's version names:
// "GLIBC_" for GLIBC_2.34, "GLIBCXX_" for GLIBCXX_3.4.32.
func versionFamily(v string) string {
	if i := strings.LastIndexByte(v, '_'); i >= 0 {
		return v[:i+1]
	}
	return ""
}

// highestDefined returns the greatest defined version of a family.
func highestDefined(defs map[string]bool, family string) string {
	var names []string
	for d := range defs {
		if strings.HasPrefix(d, family) && isVersionNumber(strings.TrimPrefix(d, family)) {
			names = append(names, d)
		}
	}
	if len(names) == 0 {
		return "no " + strings.TrimSuffix(family, "_") + " versions"
	}
	sort.Slice(names, func(i, j int) bool { return compareGlibc(names[i], names[j]) < 0 })
	return names[len(names)-1]
}

func isVersionNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, p := range strings.Split(s, ".") {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}

// compareGlibc orders version names numerically by their dotted suffix
// ("GLIBC_2.9" < "GLIBC_2.34"); "" sorts first, non-numeric names last.
func compareGlibc(a, b string) int {
	if a == b {
		return 0
	}
	if a == "" {
		return -1
	}
	if b == "" {
		return 1
	}
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := -1, -1
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a, b)
}

func versionParts(v string) []int {
	s := v[len(versionFamily(v)):]
	var out []int
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return []int{1 << 30} // GLIBC_PRIVATE and the like
		}
		out = append(out, n)
	}
	return out
}
