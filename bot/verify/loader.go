package verify

import (
	"debug/elf"
	"fmt"
	"path"
	"strings"
)

// The loader checks redo, inside the image, what glibc's ld.so does before
// main: load PT_INTERP, then every DT_NEEDED library breadth-first, each
// found through DT_RPATH (of the object and of those that loaded it, unless
// the object has DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, the directories
// of /etc/ld.so.conf (standing in for /etc/ld.so.cache, which ldconfig
// builds from them) and the default directories; a library of the wrong ELF
// class or machine is skipped, as ld.so skips it. Then every version a
// loaded object needs (.gnu.version_r: GLIBC_2.34 from libc.so.6,
// GLIBCXX_3.4.32 from libstdc++.so.6) must be defined by the library that
// provides it — the check behind "version `GLIBC_2.38' not found".

// loadedObject is one object in the simulated link map.
type loadedObject struct {
	name   string // DT_NEEDED name (or the executable's path)
	path   string // where it was found
	real   string // after symlinks
	info   *elfInfo
	parent *loadedObject // who needed it first (nil for the executable)
}

type missingLib struct {
	name     string
	neededBy string
	searched []string
	skipped  []string // candidates found but unusable, with the reason
}

func (in *inspection) checkELF(st *step) {
	subject := st.res.Path
	info := st.elf
	if info.NoDynSection {
		in.add("elf-libraries", Unknown, subject, "%s has a dynamic segment but no section headers (stripped with sstrip?): its DT_NEEDED cannot be read", subject)
	}
	var interp *loadedObject
	if info.isStatic() {
		if len(info.Needed) > 0 {
			in.add("elf-interpreter", Fail, subject, "%s lists %d DT_NEEDED libraries but has no PT_INTERP: nothing would load them", subject, len(info.Needed))
			return
		}
		linked := "statically linked"
		if info.kind() == "ELF, static-pie" {
			linked = "a static PIE"
		}
		in.add("elf-interpreter", Pass, subject, "%s is %s: no PT_INTERP, so no loader or libraries are needed", subject, linked)
		return
	}
	r, err := in.fs.stat(info.Interp, in.cwd)
	switch {
	case err != nil:
		in.add("elf-interpreter", Fail, subject, "%s needs the ELF interpreter %s: %s", subject, info.Interp, trimLeadingPath(fullMissing(info.Interp, in.cwd, err), info.Interp))
		return
	case r.Node.kind != kindFile:
		in.add("elf-interpreter", Fail, subject, "%s needs the ELF interpreter %s, which is a %s", subject, r.chain(), r.Node.kind)
		return
	}
	li, err := in.elfAt(r)
	if err != nil {
		in.add("elf-interpreter", Fail, subject, "%s needs the ELF interpreter %s, which is not a valid ELF file: %v", subject, r.chain(), err)
		return
	}
	if li.Class != info.Class || li.Machine != info.Machine {
		in.add("elf-interpreter", Fail, subject, "%s needs the ELF interpreter %s, which is %v/%v, not %v/%v", subject, r.chain(), li.Class, li.Machine, info.Class, info.Machine)
		return
	}
	in.add("elf-interpreter", Pass, subject, "%s: interpreter %s (in image)", subject, r.chain())
	interp = &loadedObject{name: path.Base(info.Interp), path: r.Path, real: r.Real, info: li}
	if info.NoDynSection {
		return
	}
	in.loadLibraries(st, interp)
}

func trimLeadingPath(msg, p string) string {
	return strings.TrimPrefix(strings.TrimPrefix(msg, p), ": ")
}

func (in *inspection) loadLibraries(st *step, interp *loadedObject) {
	subject := st.res.Path
	exe := &loadedObject{name: st.res.Path, path: st.res.Real, real: st.res.Real, info: st.elf}
	// ld.so is already in the link map under its SONAME: libc.so.6's own
	// DT_NEEDED on ld-linux-x86-64.so.2 is satisfied by it.
	loaded := map[string]*loadedObject{interp.name: interp}
	if interp.info.SOName != "" {
		loaded[interp.info.SOName] = interp
	}
	order := []*loadedObject{exe}
	var missing []missingLib
	confDirs := in.ldSoConfDirs()
	for i := 0; i < len(order); i++ {
		if in.ctx.Err() != nil {
			return
		}
		obj := order[i]
		for _, need := range obj.info.Needed {
			if loaded[need] != nil {
				continue
			}
			lib, miss := in.findLibrary(need, obj, exe, confDirs)
			if lib == nil {
				missing = append(missing, miss)
				loaded[need] = &loadedObject{name: need} // report once
				continue
			}
			loaded[need] = lib
			if lib.info.SOName != "" && loaded[lib.info.SOName] == nil {
				loaded[lib.info.SOName] = lib
			}
			order = append(order, lib)
		}
	}
	libs := order[1:]
	if len(missing) > 0 {
		var parts []string
		for _, m := range missing {
			s := fmt.Sprintf("%s (needed by %s): not found in %s", m.name, m.neededBy, strings.Join(m.searched, ", "))
			if len(m.skipped) > 0 {
				s += "; skipped " + strings.Join(m.skipped, ", ")
			}
			parts = append(parts, s)
		}
		in.add("elf-libraries", Fail, subject, "%s", strings.Join(parts, "; "))
	} else if len(libs) == 0 {
		in.add("elf-libraries", Pass, subject, "%s needs no shared libraries besides its interpreter", subject)
	} else {
		in.add("elf-libraries", Pass, subject, "%s: %s resolved: %s", subject, plural(len(libs), "library", "libraries"), summariseLibs(libs))
	}
	in.checkVersions(subject, append([]*loadedObject{exe, interp}, libs...), loaded)
}

func summariseLibs(libs []*loadedObject) string {
	const show = 6
	var parts []string
	for i, l := range libs {
		if i == show {
			parts = append(parts, fmt.Sprintf("and %d more", len(libs)-show))
			break
		}
		parts = append(parts, l.name+" → "+l.path)
	}
	return strings.Join(parts, ", ")
}

// findLibrary searches for one DT_NEEDED name on behalf of obj.
func (in *inspection) findLibrary(need string, obj, exe *loadedObject, confDirs []string) (*loadedObject, missingLib) {
	miss := missingLib{name: need, neededBy: obj.name}
	try := func(p string) *loadedObject {
		r, err := in.fs.stat(p, in.cwd)
		if err != nil || r.Node.kind != kindFile {
			return nil
		}
		if !in.hasELFMagic(r.Node) {
			miss.skipped = append(miss.skipped, r.Path+" (not ELF)")
			return nil
		}
		info, err := in.elfAt(r)
		if err != nil {
			miss.skipped = append(miss.skipped, r.Path+" (malformed ELF)")
			return nil
		}
		if info.Class != exe.info.Class || info.Machine != exe.info.Machine {
			miss.skipped = append(miss.skipped, fmt.Sprintf("%s (%v/%v)", r.Path, info.Class, info.Machine))
			return nil
		}
		return &loadedObject{name: need, path: r.Path, real: r.Real, info: info, parent: obj}
	}
	if strings.Contains(need, "/") {
		miss.searched = []string{absPath(need, in.cwd)}
		return try(need), miss
	}
	seen := map[string]bool{}
	for _, dir := range in.searchDirs(obj, exe, confDirs) {
		if dir == "" {
			dir = in.cwd
		}
		dir = absPath(dir, in.cwd)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		miss.searched = append(miss.searched, dir)
		if lib := try(path.Join(dir, need)); lib != nil {
			return lib, miss
		}
	}
	return nil, miss
}

// searchDirs lists, in ld.so's order, where obj's dependencies are looked up.
func (in *inspection) searchDirs(obj, exe *loadedObject, confDirs []string) []string {
	var dirs []string
	if len(obj.info.RunPath) == 0 {
		// DT_RPATH of the object, then of each object that loaded it.
		for o := obj; o != nil; o = o.parent {
			if len(o.info.RunPath) == 0 {
				dirs = append(dirs, in.expandDSTs(o.info.RPath, o)...)
			}
		}
	}
	if llp, ok := in.getenv("LD_LIBRARY_PATH"); ok && llp != "" {
		dirs = append(dirs, strings.FieldsFunc(llp, func(r rune) bool { return r == ':' || r == ';' })...)
	}
	dirs = append(dirs, in.expandDSTs(obj.info.RunPath, obj)...)
	dirs = append(dirs, confDirs...)
	return append(dirs, defaultLibDirs(exe.info)...)
}

// defaultLibDirs are the trusted directories: Debian's multiarch ones for
// the object's machine, then the lib64 and lib pairs.
func defaultLibDirs(info *elfInfo) []string {
	var dirs []string
	if _, triplet := elfArch(info.Machine); triplet != "" {
		dirs = append(dirs, "/lib/"+triplet, "/usr/lib/"+triplet)
	}
	if info.Class == elf.ELFCLASS64 {
		dirs = append(dirs, "/lib64", "/usr/lib64")
	}
	return append(dirs, "/lib", "/usr/lib")
}

// expandDSTs substitutes $ORIGIN, $LIB and $PLATFORM. $ORIGIN is the
// directory of the object: the real path for the executable (the kernel
// hands ld.so /proc/self/exe), the path it was found at for libraries.
// $LIB differs between distributions (lib64, lib/<triplet>), so both are
// tried.
func (in *inspection) expandDSTs(entries []string, o *loadedObject) []string {
	var out []string
	origin := path.Dir(o.path)
	_, triplet := elfArch(o.info.Machine)
	for _, e := range entries {
		e = strings.NewReplacer("${ORIGIN}", origin, "$ORIGIN", origin,
			"${PLATFORM}", platformString(o.info.Machine), "$PLATFORM", platformString(o.info.Machine)).Replace(e)
		if strings.Contains(e, "$LIB") || strings.Contains(e, "${LIB}") {
			for _, lib := range []string{"lib64", "lib/" + triplet, "lib"} {
				out = append(out, strings.NewReplacer("${LIB}", lib, "$LIB", lib).Replace(e))
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// ldSoConfDirs reads /etc/ld.so.conf and its includes (glob patterns,
// typically /etc/ld.so.conf.d/*.conf) from the image.
func (in *inspection) ldSoConfDirs() []string {
	var dirs []string
	seen := map[string]bool{}
	var read func(file string, depth int)
	read = func(file string, depth int) {
		if depth > 8 || seen[file] {
			return
		}
		seen[file] = true
		r, err := in.fs.stat(file, "/")
		if err != nil || r.Node.kind != kindFile {
			return
		}
		data, err := in.fs.readSmall(r.Node, 1<<20)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			if i := strings.IndexByte(line, '#'); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			switch {
			case line == "":
			case strings.HasPrefix(line, "include") && len(line) > 7 && (line[7] == ' ' || line[7] == '\t'):
				for _, pat := range strings.Fields(line[8:]) {
					if !strings.HasPrefix(pat, "/") {
						pat = path.Join(path.Dir(file), pat)
					}
					for _, m := range in.glob(pat) {
						read(m, depth+1)
					}
				}
			case strings.HasPrefix(line, "hwcap "):
			default:
				dirs = append(dirs, strings.FieldsFunc(line, func(r rune) bool { return r == ':' || r == ',' || r == ' ' || r == '\t' })...)
			}
		}
	}
	read("/etc/ld.so.conf", 0)
	return dirs
}

// glob matches a pattern whose wildcards are in the last component only,
// which is how ld.so.conf includes are written.
func (in *inspection) glob(pat string) []string {
	dir, base := path.Split(pat)
	r, err := in.fs.stat(dir, "/")
	if err != nil || r.Node.kind != kindDir {
		return nil
	}
	var out []string
	for _, name := range r.Node.list() {
		if ok, _ := path.Match(base, name); ok {
			out = append(out, path.Join(dir, name))
		}
	}
	return out
}
