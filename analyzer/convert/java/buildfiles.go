package java

import (
	"encoding/xml"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
)

// project is what the recipe learns from a Maven or Gradle build file:
// which files the build writes into its output directory, which of them is
// the runnable (self-contained) jar, and the bytecode target.
type project struct {
	Tool string // "maven" or "gradle"
	// Dir is the module directory relative to the build context ("" for
	// the root project).
	Dir string
	// Out is the output directory relative to Dir: target, build/libs.
	Out string
	// Archives are the archives the default build writes into Out.
	Archives []archive
	// Known is false when a name depends on something distill does not
	// evaluate (an unresolved property, a computed version, a renamed
	// output), so no name can be trusted.
	Known bool
	// Target is the bytecode major the build compiles for ("17"), "" when
	// the build file does not say.
	Target string
	// TargetFrom says where Target comes from, for notes.
	TargetFrom string
	// SpringBoot is set when the Spring Boot plugin packages the app.
	SpringBoot bool
}

// archive is one file the build writes.
type archive struct {
	Name string
	// Runnable is true for the self-contained jar (Spring Boot, shade,
	// assembly jar-with-dependencies, shadow): `java -jar` needs nothing
	// next to it.
	Runnable bool
}

// Runnable returns the names of the self-contained archives.
func (p *project) runnable() []string {
	var out []string
	for _, a := range p.Archives {
		if a.Runnable {
			out = append(out, a.Name)
		}
	}
	return out
}

// match returns the archives whose names match a glob.
func (p *project) match(glob string) []archive {
	var out []archive
	for _, a := range p.Archives {
		if ok, _ := path.Match(glob, a.Name); ok {
			out = append(out, a)
		}
	}
	return out
}

// ---- Maven ----

type pomNode struct {
	XMLName xml.Name
	Content string    `xml:",chardata"`
	Nodes   []pomNode `xml:",any"`
}

// child returns the first child element with a local name.
func (n *pomNode) child(name string) *pomNode {
	if n == nil {
		return nil
	}
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return &n.Nodes[i]
		}
	}
	return nil
}

// children returns the child elements with a local name.
func (n *pomNode) children(name string) []*pomNode {
	if n == nil {
		return nil
	}
	var out []*pomNode
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			out = append(out, &n.Nodes[i])
		}
	}
	return out
}

// text returns the trimmed text of a path of child elements, "" when absent.
func (n *pomNode) text(names ...string) string {
	for _, name := range names {
		n = n.child(name)
	}
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.Content)
}

// find returns every descendant element with a local name.
func (n *pomNode) find(name string) []*pomNode {
	if n == nil {
		return nil
	}
	var out []*pomNode
	for i := range n.Nodes {
		c := &n.Nodes[i]
		if c.XMLName.Local == name {
			out = append(out, c)
		}
		out = append(out, c.find(name)...)
	}
	return out
}

var mavenProperty = regexp.MustCompile(`\$\{([^}]+)\}`)

// parsePom reads a pom.xml. It returns nil when the file is not a Maven
// project.
func parsePom(data []byte, dir string) *project {
	var root pomNode
	if err := xml.Unmarshal(data, &root); err != nil || root.XMLName.Local != "project" {
		return nil
	}
	props := map[string]string{}
	if pr := root.child("properties"); pr != nil {
		for _, p := range pr.Nodes {
			props[p.XMLName.Local] = strings.TrimSpace(p.Content)
		}
	}
	artifact := root.text("artifactId")
	version := root.text("version")
	if version == "" {
		version = root.text("parent", "version")
	}
	group := root.text("groupId")
	if group == "" {
		group = root.text("parent", "groupId")
	}
	props["project.artifactId"], props["pom.artifactId"], props["artifactId"] = artifact, artifact, artifact
	props["project.version"], props["pom.version"], props["version"] = version, version, version
	props["project.groupId"], props["groupId"] = group, group
	props["project.parent.version"], props["parent.version"] = root.text("parent", "version"), root.text("parent", "version")
	known := true
	resolve := func(s string) string {
		for i := 0; i < 8 && strings.Contains(s, "${"); i++ {
			s = mavenProperty.ReplaceAllStringFunc(s, func(m string) string {
				if v, ok := props[m[2:len(m)-1]]; ok && v != "" {
					return v
				}
				return m
			})
		}
		if strings.Contains(s, "${") {
			known = false
		}
		return s
	}
	p := &project{Tool: "maven", Dir: dir, Out: "target", Known: true}
	packaging := root.text("packaging")
	if packaging == "" {
		packaging = "jar"
	}
	if packaging != "jar" && packaging != "war" {
		p.Known = false // pom, ear, bundle, …: no runnable jar of its own
		return p
	}
	build := root.child("build")
	if d := build.text("directory"); d != "" {
		p.Out = strings.TrimPrefix(resolve(d), "${project.basedir}/")
		if strings.Contains(p.Out, "${") || strings.HasPrefix(p.Out, "/") {
			known = false
		}
	}
	final := build.text("finalName")
	if final == "" {
		final = "${project.artifactId}-${project.version}"
	}
	final = resolve(final)
	if artifact == "" || version == "" {
		known = false
	}
	ext := "." + packaging
	main := archive{Name: final + ext}
	var extra []archive
	var plugins []*pomNode
	plugins = append(plugins, build.child("plugins").children("plugin")...)
	for _, pl := range plugins {
		cfg := pl.child("configuration")
		goals := map[string]bool{}
		for _, g := range pl.find("goal") {
			goals[strings.TrimSpace(g.Content)] = true
		}
		for _, ex := range pl.child("executions").children("execution") {
			if c := ex.child("configuration"); c != nil {
				cfg = mergeConfig(cfg, c)
			}
		}
		switch pl.text("artifactId") {
		case "spring-boot-maven-plugin":
			p.SpringBoot = true
			if c := resolve(cfg.text("classifier")); c != "" {
				extra = append(extra, archive{Name: final + "-" + c + ext, Runnable: true})
			} else {
				main.Runnable = true
			}
			if cfg.text("finalName") != "" || cfg.text("outputDirectory") != "" {
				known = false
			}
		case "maven-shade-plugin":
			if cfg.text("finalName") != "" || cfg.text("outputDirectory") != "" {
				known = false
			}
			if resolve(cfg.text("shadedArtifactAttached")) == "true" {
				cl := resolve(cfg.text("shadedClassifierName"))
				if cl == "" {
					cl = "shaded"
				}
				extra = append(extra, archive{Name: final + "-" + cl + ext, Runnable: true})
			} else {
				main.Runnable = true
				extra = append(extra, archive{Name: "original-" + final + ext})
			}
		case "maven-assembly-plugin":
			for _, ref := range cfg.find("descriptorRef") {
				if strings.TrimSpace(ref.Content) != "jar-with-dependencies" {
					continue
				}
				name := final
				if f := cfg.text("finalName"); f != "" {
					name = resolve(f)
				}
				if cfg.text("appendAssemblyId") != "false" {
					name += "-jar-with-dependencies"
				}
				extra = append(extra, archive{Name: name + ".jar", Runnable: true})
			}
			if len(cfg.find("descriptor")) > 0 {
				known = false // a custom descriptor names its own archives
			}
		case "maven-source-plugin":
			if goals["jar"] || goals["jar-no-fork"] {
				extra = append(extra, archive{Name: final + "-sources.jar"})
			}
		case "maven-javadoc-plugin":
			if goals["jar"] {
				extra = append(extra, archive{Name: final + "-javadoc.jar"})
			}
		case "maven-jar-plugin":
			if goals["test-jar"] {
				extra = append(extra, archive{Name: final + "-tests.jar"})
			}
			if c := cfg.text("classifier"); c != "" {
				known = false
			}
		}
	}
	p.Archives = append([]archive{main}, extra...)
	p.Known = known
	// Bytecode target: release wins over target, which wins over source.
	compiler := func(name string) string {
		for _, pl := range plugins {
			if pl.text("artifactId") == "maven-compiler-plugin" {
				if v := pl.child("configuration").text(name); v != "" {
					return resolve(v)
				}
			}
		}
		return ""
	}
	for _, c := range []struct{ value, from string }{
		{compiler("release"), "maven-compiler-plugin <release>"},
		{resolve(props["maven.compiler.release"]), "maven.compiler.release"},
		{compiler("target"), "maven-compiler-plugin <target>"},
		{resolve(props["maven.compiler.target"]), "maven.compiler.target"},
		{resolve(props["java.version"]), "java.version"},
		{compiler("source"), "maven-compiler-plugin <source>"},
		{resolve(props["maven.compiler.source"]), "maven.compiler.source"},
	} {
		if m := javaMajor(c.value); m != "" {
			p.Target, p.TargetFrom = m, c.from
			break
		}
	}
	return p
}

// mergeConfig returns a configuration holding the elements of both.
func mergeConfig(a, b *pomNode) *pomNode {
	if a == nil {
		return b
	}
	m := &pomNode{XMLName: a.XMLName}
	m.Nodes = append(append(m.Nodes, a.Nodes...), b.Nodes...)
	return m
}

// javaMajor turns "1.8", "8", "17", "JavaVersion.VERSION_17", "VERSION_1_8"
// into the major ("8", "17"); "" for anything else.
func javaMajor(v string) string {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), `'"`))
	v = strings.TrimPrefix(v, "JavaVersion.")
	v = strings.TrimPrefix(v, "VERSION_")
	v = strings.ReplaceAll(v, "_", ".")
	v = strings.TrimPrefix(v, "1.")
	if n, err := strconv.Atoi(v); err == nil && n >= 5 && n < 100 {
		return strconv.Itoa(n)
	}
	return ""
}

// ---- Gradle ----

var (
	gradleRootName    = regexp.MustCompile(`(?m)^\s*rootProject\.name\s*=\s*(['"])([^'"$]+)['"]`)
	gradleVersion     = regexp.MustCompile(`(?m)^\s*(?:project\.)?version\s*(?:=\s*)?(['"])([^'"]*)(['"])\s*$`)
	gradleVersionAny  = regexp.MustCompile(`(?m)^\s*(?:project\.)?version\s*(=|['"(])`)
	gradleVersionProp = regexp.MustCompile(`(?m)^\s*version\s*[=:]\s*(\S+)\s*$`)
	gradleBootPlugin  = regexp.MustCompile(`(?:id\s*\(?\s*['"]org\.springframework\.boot['"]\s*\)?(?:\s*version\s*\(?\s*['"]([0-9.]+)[^'"]*['"])?|apply\s+plugin:\s*['"]org\.springframework\.boot['"]|alias\s*\(\s*libs\.plugins\.spring\.boot\s*\))`)
	gradleShadow      = regexp.MustCompile(`['"](?:com\.github\.johnrengelman\.shadow|com\.gradleup\.shadow|io\.github\.goooler\.shadow)['"]`)
	gradleWar         = regexp.MustCompile(`id\s*\(?\s*['"]war['"]|apply\s+plugin:\s*['"]war['"]|^\s*war\s*$`)
	gradleArchivesOld = regexp.MustCompile(`(?m)^\s*archivesBaseName\s*=\s*(['"])([^'"$]*)['"]`)
	gradleArchives    = regexp.MustCompile(`archivesName(?:\.set\s*\(|\s*=)\s*(['"])([^'"$]*)['"]`)
	gradleBuildDir    = regexp.MustCompile(`\bbuildDir\s*=|layout\.buildDirectory\.set|buildDirectory\s*=`)

	gradleRelease    = regexp.MustCompile(`options\.release(?:\.set\s*\(|\s*=)\s*(\d+)`)
	gradleTarget     = regexp.MustCompile(`targetCompatibility\s*=\s*(['"]?[\w.]+['"]?)`)
	gradleSource     = regexp.MustCompile(`sourceCompatibility\s*=\s*(['"]?[\w.]+['"]?)`)
	gradleToolchain  = regexp.MustCompile(`(?:JavaLanguageVersion\.of\s*\(\s*(\d+)\s*\)|jvmToolchain\s*\(\s*(\d+)\s*\))`)
	gradleKotlinJvm  = regexp.MustCompile(`jvmTarget(?:\.set\s*\(|\s*=)\s*(?:JvmTarget\.JVM_|['"])([\d_.]+)`)
	gradleEnabledOff = regexp.MustCompile(`(?:\benabled\s*=\s*false|enabled\.set\s*\(\s*false\s*\))`)
)

// parseGradle reads a Gradle build (build.gradle or build.gradle.kts, plus
// settings and gradle.properties). name is the project name the settings
// give ("" when unknown).
func parseGradle(build, props []byte, name, dir string) *project {
	src := stripGradleComments(string(build))
	p := &project{Tool: "gradle", Dir: dir, Out: "build/libs", Known: name != ""}
	if gradleBuildDir.MatchString(src) {
		p.Known = false
	}
	base := name
	if m := gradleArchives.FindStringSubmatch(src); m != nil {
		base = m[2]
	} else if m := gradleArchivesOld.FindStringSubmatch(src); m != nil {
		base = m[2]
	} else if strings.Contains(src, "archivesName") || strings.Contains(src, "archivesBaseName") {
		p.Known = false
	}
	version := ""
	if m := gradleVersion.FindStringSubmatch(src); m != nil && m[1] == m[3] && !strings.Contains(m[2], "$") {
		version = m[2]
	} else if gradleVersionAny.MatchString(src) {
		p.Known = false // a computed version
	} else if m := gradleVersionProp.FindSubmatch(props); m != nil {
		version = string(m[1])
		if strings.Contains(version, "$") {
			p.Known = false
		}
	}
	stem := base
	if version != "" && version != "unspecified" {
		stem += "-" + version
	}
	ext := ".jar"
	if gradleWar.MatchString(src) {
		ext = ".war"
	}
	boot := gradleBootPlugin.FindStringSubmatch(src)
	jarBlock := gradleBlock(src, "jar")
	plainDisabled := jarBlock != "" && gradleEnabledOff.MatchString(jarBlock)
	if boot != nil {
		p.SpringBoot = true
		bootName := stem + ext
		task := "bootJar"
		if ext == ".war" {
			task = "bootWar"
		}
		if b := gradleBlock(src, task); b != "" {
			if f, ok := gradleStringProp(b, "archiveFileName"); ok {
				bootName = f
			} else if f == "?" {
				p.Known = false
			}
			for _, prop := range []string{"archiveBaseName", "archiveVersion", "archiveClassifier", "archiveAppendix", "archiveExtension", "destinationDirectory"} {
				if strings.Contains(b, prop) {
					p.Known = false
				}
			}
		}
		p.Archives = append(p.Archives, archive{Name: bootName, Runnable: true})
		// Spring Boot 2.5+ keeps the plain jar as <name>-plain.jar unless
		// the jar task is disabled; earlier versions disabled it.
		older := boot[1] != "" && catalog.CompareVersions(boot[1], "2.5") < 0
		if !plainDisabled && !older {
			p.Archives = append(p.Archives, archive{Name: stem + "-plain" + ext})
		}
	} else if !plainDisabled {
		p.Archives = append(p.Archives, archive{Name: stem + ext})
	}
	if jarBlock != "" && !plainDisabled {
		for _, prop := range []string{"archiveFileName", "archiveBaseName", "archiveVersion", "archiveClassifier", "destinationDirectory"} {
			if strings.Contains(jarBlock, prop) {
				p.Known = false
			}
		}
	}
	if gradleShadow.MatchString(src) {
		classifier := "-all"
		if b := gradleBlock(src, "shadowJar"); b != "" {
			if c, ok := gradleStringProp(b, "archiveClassifier"); ok {
				classifier = ""
				if c != "" {
					classifier = "-" + c
				}
			}
			for _, prop := range []string{"archiveFileName", "archiveBaseName", "archiveVersion", "destinationDirectory"} {
				if strings.Contains(b, prop) {
					p.Known = false
				}
			}
		}
		p.Archives = append(p.Archives, archive{Name: stem + classifier + ".jar", Runnable: true})
	}
	// Bytecode target.
	first := func(re *regexp.Regexp) string {
		m := re.FindStringSubmatch(src)
		if m == nil {
			return ""
		}
		for _, g := range m[1:] {
			if g != "" {
				return javaMajor(g)
			}
		}
		return ""
	}
	for _, c := range []struct {
		re   *regexp.Regexp
		from string
	}{
		{gradleRelease, "options.release"},
		{gradleTarget, "targetCompatibility"},
		{gradleSource, "sourceCompatibility"},
		{gradleKotlinJvm, "Kotlin jvmTarget"},
		{gradleToolchain, "the Java toolchain"},
	} {
		if m := first(c.re); m != "" {
			p.Target, p.TargetFrom = m, c.from
			break
		}
	}
	return p
}

// gradleBlock returns the body of the first block configuring a task:
// `bootJar {`, `tasks.bootJar {`, `tasks.named("bootJar") {`,
// `tasks.named<BootJar>("bootJar") {`, `tasks.getByName<Jar>("jar") {`,
// `tasks.withType(BootJar) {` is not matched. "" when absent.
func gradleBlock(src, task string) string {
	re := regexp.MustCompile(`(?m)(?:^|[\s.;])(?:tasks\.)?(?:` + regexp.QuoteMeta(task) + `|named\s*(?:<\w+>)?\s*\(\s*['"]` + regexp.QuoteMeta(task) + `['"]\s*\)|getByName\s*(?:<\w+>)?\s*\(\s*['"]` + regexp.QuoteMeta(task) + `['"]\s*\))\s*\{`)
	loc := re.FindStringIndex(src)
	if loc == nil {
		return ""
	}
	depth, start := 0, loc[1]-1
	for i := start; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return src[start+1 : i]
			}
		}
	}
	return src[start+1:]
}

// gradleStringProp finds `prop = 'literal'` or `prop.set("literal")` in a
// block. It returns "?" and false when the property is set to something
// else (an expression).
func gradleStringProp(block, prop string) (string, bool) {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(prop) + `(?:\.set\s*\(|\s*=)\s*(['"])([^'"$]*)(['"])`)
	if m := re.FindStringSubmatch(block); m != nil && m[1] == m[3] {
		return m[2], true
	}
	if strings.Contains(block, prop) {
		return "?", false
	}
	return "", false
}

// stripGradleComments removes // and /* */ comments outside strings.
func stripGradleComments(s string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			b.WriteByte(c)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 3
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var gradleInclude = regexp.MustCompile(`['"]:?([\w\-./:]+)['"]`)

// gradleSettings returns the root project name and the included module
// directories from settings.gradle(.kts).
func gradleSettings(data []byte) (string, []string) {
	src := stripGradleComments(string(data))
	name := ""
	if m := gradleRootName.FindStringSubmatch(src); m != nil {
		name = m[2]
	}
	var mods []string
	for _, line := range strings.Split(src, "\n") {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, "include") {
			continue
		}
		for _, m := range gradleInclude.FindAllStringSubmatch(l, -1) {
			mods = append(mods, strings.ReplaceAll(m[1], ":", "/"))
		}
	}
	return name, mods
}
