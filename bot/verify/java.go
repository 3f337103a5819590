package verify

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Java checks (distroless.md §3.3): under ENTRYPOINT ["/usr/bin/java",
// "-jar"] the CMD names the jar; the jar must exist, be a zip, and carry a
// Main-Class whose class file is in the jar or on its Class-Path. When the
// runtime's release file says which Java it is, the main class's class-file
// version must not be newer (UnsupportedClassVersionError).

// javaOptionsWithValue take the next argument as their value.
var javaOptionsWithValue = map[string]bool{
	"-cp": true, "-classpath": true, "--class-path": true,
	"-p": true, "--module-path": true, "--upgrade-module-path": true,
	"--add-modules": true, "--add-opens": true, "--add-exports": true,
	"--add-reads": true, "--patch-module": true, "--limit-modules": true,
	"--enable-native-access": true, "--source": true,
}

func (in *inspection) checkJava(prog *step) {
	subject := prog.res.Path
	args := prog.args
	var classpath string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-jar":
			if i+1 >= len(args) {
				in.add("java-jar", Fail, subject, "%s -jar is given no jar file (CMD is empty?)", subject)
				return
			}
			in.checkJar(subject, args[i+1])
			return
		case a == "-m" || a == "--module" || strings.HasPrefix(a, "--module="):
			in.add("java-main", Unknown, subject, "%s runs a module (%s): module resolution is not checked", subject, a)
			return
		case strings.HasPrefix(a, "@"):
			in.add("java-main", Unknown, subject, "%s reads options from the file %s: not checked", subject, a[1:])
			return
		case a == "-version" || a == "--version" || a == "-help" || a == "--help" || a == "-h":
			in.add("java-main", Fail, subject, "%s %s prints and exits", subject, a)
			return
		case a == "-cp" || a == "-classpath" || a == "--class-path":
			if i+1 < len(args) {
				classpath = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "--class-path="):
			classpath = strings.TrimPrefix(a, "--class-path=")
		case javaOptionsWithValue[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			if classpath == "" {
				classpath, _ = in.getenv("CLASSPATH")
			}
			if classpath == "" {
				classpath = "."
			}
			in.checkMainClass(subject, a, classpath)
			return
		}
	}
	in.add("java-main", Fail, subject, "%s is given neither -jar nor a main class: it prints its usage and exits", subject)
}

// zipFile is an open jar in the image.
type zipFile struct {
	path string
	zr   *zip.Reader
}

func (in *inspection) openZip(p string) (*zipFile, string) {
	r, err := in.fs.stat(p, in.cwd)
	if err != nil {
		return nil, describeMissing(p, in.cwd, err)
	}
	if r.Node.kind != kindFile {
		return nil, " is a " + r.Node.kind.String()
	}
	zr, err := safeZipReader(in.fs.open(r.Node), r.Node.size)
	if err != nil {
		return nil, fmt.Sprintf(": %s is not a zip archive: %v", r.Real, err)
	}
	return &zipFile{path: r.Real, zr: zr}, ""
}

func safeZipReader(ra io.ReaderAt, size int64) (zr *zip.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			zr, err = nil, fmt.Errorf("malformed zip (reader panic: %v)", p)
		}
	}()
	zr, err = zip.NewReader(ra, size)
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // odd entry names do not stop the JVM from reading the jar
	}
	return zr, err
}

func (z *zipFile) find(name string) *zip.File {
	for _, f := range z.zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (z *zipFile) readEntry(f *zip.File, max int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s is larger than %d bytes", f.Name, max)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, max))
}

// manifest parses the main section of META-INF/MANIFEST.MF: "Name: value"
// lines, continued by lines that start with one space.
func (z *zipFile) manifest() (map[string]string, error) {
	var mf *zip.File
	for _, f := range z.zr.File {
		if strings.EqualFold(f.Name, "META-INF/MANIFEST.MF") {
			mf = f
			break
		}
	}
	if mf == nil {
		return nil, nil
	}
	data, err := z.readEntry(mf, 1<<20)
	if err != nil {
		return nil, err
	}
	attrs := map[string]string{}
	last := ""
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			break // end of the main section
		}
		if strings.HasPrefix(line, " ") && last != "" {
			attrs[last] += line[1:]
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = strings.TrimSpace(k)
		attrs[last] = strings.TrimSpace(v)
	}
	return attrs, sc.Err()
}

func (in *inspection) checkJar(subject, jar string) {
	z, problem := in.openZip(jar)
	if z == nil {
		in.add("java-jar", Fail, subject, "jar %s%s (java: Unable to access jarfile)", jar, problem)
		return
	}
	attrs, err := z.manifest()
	switch {
	case err != nil:
		in.add("java-jar", Fail, subject, "jar %s: reading META-INF/MANIFEST.MF: %v", z.path, err)
		return
	case attrs == nil:
		in.add("java-jar", Fail, subject, "jar %s has no META-INF/MANIFEST.MF (java: no main manifest attribute)", z.path)
		return
	case attrs["Main-Class"] == "":
		in.add("java-jar", Fail, subject, "jar %s: META-INF/MANIFEST.MF has no Main-Class (java: no main manifest attribute)", z.path)
		return
	}
	main := attrs["Main-Class"]
	classFile := strings.ReplaceAll(main, ".", "/") + ".class"
	where, cls := in.findClassInJar(z, classFile)
	if where == "" {
		// Class-Path entries are URLs relative to the jar's directory.
		for _, cp := range strings.Fields(attrs["Class-Path"]) {
			p := path.Join(path.Dir(z.path), cp)
			if strings.HasSuffix(cp, "/") {
				if r, err := in.fs.stat(path.Join(p, classFile), "/"); err == nil && r.Node.kind == kindFile {
					where = r.Path
					cls = in.classVersionOfFile(r)
					break
				}
				continue
			}
			if dep, _ := in.openZip(p); dep != nil {
				if w, c := in.findClassInJar(dep, classFile); w != "" {
					where, cls = w, c
					break
				}
			}
		}
	}
	if where == "" {
		in.add("java-jar", Fail, subject, "jar %s: Main-Class %s, but %s is neither in the jar nor on its Class-Path", z.path, main, classFile)
		return
	}
	in.add("java-jar", Pass, subject, "jar %s: Main-Class %s (%s)", z.path, main, where)
	in.checkClassVersion(subject, main, cls)
}

// findClassInJar returns where the class is ("app.jar!/com/x/App.class")
// and its class-file major version (0 if unreadable).
func (in *inspection) findClassInJar(z *zipFile, classFile string) (string, int) {
	f := z.find(classFile)
	if f == nil {
		return "", 0
	}
	where := z.path + "!/" + classFile
	rc, err := f.Open()
	if err != nil {
		return where, 0
	}
	defer rc.Close()
	head := make([]byte, 8)
	if _, err := io.ReadFull(rc, head); err != nil {
		return where, 0
	}
	return where, classMajor(head)
}

func (in *inspection) classVersionOfFile(r resolved) int {
	head, err := in.fs.readHead(r.Node, 8)
	if err != nil {
		return 0
	}
	return classMajor(head)
}

// classMajor reads the class-file major version (0 if not a class file).
func classMajor(b []byte) int {
	if len(b) < 8 || binary.BigEndian.Uint32(b) != 0xCAFEBABE {
		return 0
	}
	return int(binary.BigEndian.Uint16(b[6:8]))
}

func (in *inspection) checkMainClass(subject, main, classpath string) {
	classFile := strings.ReplaceAll(main, ".", "/") + ".class"
	var searched []string
	for _, e := range strings.Split(classpath, ":") {
		if e == "" {
			e = "."
		}
		p := absPath(e, in.cwd)
		var jars []string
		switch {
		case strings.HasSuffix(e, "/*") || e == "*":
			dir := path.Dir(p)
			if r, err := in.fs.stat(dir, "/"); err == nil && r.Node.kind == kindDir {
				for _, name := range r.Node.list() {
					if strings.HasSuffix(strings.ToLower(name), ".jar") {
						jars = append(jars, path.Join(dir, name))
					}
				}
			}
		case in.fs.isDir(p, "/"):
			searched = append(searched, p)
			if r, err := in.fs.stat(path.Join(p, classFile), "/"); err == nil && r.Node.kind == kindFile {
				in.add("java-main", Pass, subject, "main class %s is %s", main, r.chain())
				in.checkClassVersion(subject, main, in.classVersionOfFile(r))
				return
			}
		default:
			jars = append(jars, p)
		}
		for _, j := range jars {
			searched = append(searched, j)
			if z, _ := in.openZip(j); z != nil {
				if w, v := in.findClassInJar(z, classFile); w != "" {
					in.add("java-main", Pass, subject, "main class %s is %s", main, w)
					in.checkClassVersion(subject, main, v)
					return
				}
			}
		}
	}
	in.add("java-main", Fail, subject, "main class %s: %s not found on the class path %s (searched %s)", main, classFile, classpath, strings.Join(searched, ", "))
}

var releaseVersion = regexp.MustCompile(`(?m)^JAVA_VERSION="?([0-9]+)(?:\.([0-9]+))?`)

// checkClassVersion compares the main class's class-file version with the
// runtime's Java version from $JAVA_HOME/release, when both are known.
func (in *inspection) checkClassVersion(subject, main string, major int) {
	if major == 0 {
		return
	}
	runtime, how := in.javaRuntimeVersion(subject)
	if runtime == 0 {
		return
	}
	need := major - 44 // class file 61 = Java 17, 65 = 21, 69 = 25
	if need > runtime {
		in.add("java-version", Fail, subject, "%s is compiled for Java %d (class file %d) but the runtime is Java %d (%s): UnsupportedClassVersionError", main, need, major, runtime, how)
		return
	}
	in.add("java-version", Pass, subject, "%s is compiled for Java %d (class file %d); the runtime is Java %d (%s)", main, need, major, runtime, how)
}

// javaRuntimeVersion reads JAVA_VERSION from the release file of the JDK or
// JRE the java binary belongs to (<home>/bin/java → <home>/release).
func (in *inspection) javaRuntimeVersion(javaPath string) (int, string) {
	r, err := in.fs.stat(javaPath, in.cwd)
	if err != nil {
		return 0, ""
	}
	rel := path.Join(path.Dir(path.Dir(r.Real)), "release")
	rr, err := in.fs.stat(rel, "/")
	if err != nil || rr.Node.kind != kindFile {
		return 0, ""
	}
	data, err := in.fs.readSmall(rr.Node, 64<<10)
	if err != nil {
		return 0, ""
	}
	m := releaseVersion.FindStringSubmatch(string(data))
	if m == nil {
		return 0, ""
	}
	v, _ := strconv.Atoi(m[1])
	if v == 1 && m[2] != "" { // "1.8.0_392" is Java 8
		v, _ = strconv.Atoi(m[2])
	}
	return v, "JAVA_VERSION in " + rel
}
