// Package java converts Java images: the application's jar (or class
// path) runs on gcr.io/distroless/javaNN-debian13 (Eclipse Temurin JRE,
// ENTRYPOINT ["/usr/bin/java", "-jar"]), built in the user's own Maven,
// Gradle or JDK stage (rulebook §3.3, §6).
//
// What the recipe guarantees:
//   - the jar is named exactly: a glob that can match more than one file
//     (the Gradle plain-jar trap) is replaced by the name the build files
//     give, or the conversion is declined;
//   - JVM options expanded by a shell ($JAVA_OPTS) move to
//     JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS, since there is no shell;
//   - the runtime major follows the catalog's policy (17/21/25 as is, 8
//     and 11 declined, others moved to the next release when allowed) and
//     is never below the bytecode target the build files name;
//   - application servers driven by scripts (Tomcat's catalina.sh) are
//     declined.
package java

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Recipe is the Java recipe.
var Recipe = &convert.Recipe{
	Name:    "java",
	Detect:  detect,
	Convert: convertJava,
	ContextFiles: []string{
		"pom.xml", "*/pom.xml",
		"build.gradle", "build.gradle.kts", "*/build.gradle", "*/build.gradle.kts",
		"settings.gradle", "settings.gradle.kts", "gradle.properties",
	},
}

func detect(in *convert.Input) bool {
	root := in.RootBase()
	if root.Scratch || strings.Contains(root.Tag, "chiseled") {
		return false
	}
	if root.IsDistroless() {
		_, ok := imageMajor(in.Catalog, root)
		return ok
	}
	kinds := in.StageKinds(in.Chain...)
	if kinds["java"] || kinds["java-server"] {
		return true
	}
	// A JVM launched from another base image (ubuntu + openjdk-17-jre).
	rt := in.CollectRuntime()
	l, _ := parseLaunch(rt, envLookup(rt))
	return l != nil
}

// envLookup returns the fixed value of a runtime ENV, without quotes.
func envLookup(rt *convert.Runtime) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := rt.EnvValue(name)
		if !ok {
			return "", false
		}
		return convert.EnvLiteral(v), true
	}
}

// conv carries one conversion.
type conv struct {
	in    *convert.Input
	p     *convert.Plan
	rt    *convert.Runtime
	l     *launch
	root  dockerfile.ImageRef
	image string // the distroless reference
	major string // its Java major
	// workdir is the working directory paths resolve against in the new
	// image (the original WORKDIR, else the new image's default).
	workdir string
	// origWorkdir is the working directory of the original image.
	origWorkdir string
	// jar is the absolute path of the jar in the image ("" in main-class
	// mode).
	jar string
	// origin is where the jar comes from.
	origin *jarOrigin
	// proj is what the build files say about the jar's build.
	proj *project
	// runs classifies the RUN instructions of the shipped chain.
	runs runAnalysis
	// env are ENV lines to add (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS).
	env []dockerfile.KeyValue
	// ambiguous lists the archives a glob matched when several did.
	ambiguous string
	// rewrites are new texts for COPY/ADD lines, applied once at the end.
	rewrites map[*dockerfile.Instruction]string
}

// rewrite records a new text for an instruction.
func (c *conv) rewrite(ins *dockerfile.Instruction, text string) {
	if c.rewrites == nil {
		c.rewrites = map[*dockerfile.Instruction]string{}
	}
	c.rewrites[ins] = text
}

// text returns an instruction's current text.
func (c *conv) text(ins *dockerfile.Instruction) string {
	if t, ok := c.rewrites[ins]; ok {
		return t
	}
	return ins.Original
}

// applyRewrites turns the recorded rewrites into edits.
func (c *conv) applyRewrites() {
	for ins, t := range c.rewrites {
		if t != ins.Original {
			c.p.Editor.Replace(ins, t)
		}
	}
}

func convertJava(in *convert.Input) (*convert.Result, error) {
	c := &conv{in: in, p: in.NewPlan(), root: in.RootBase()}
	c.rt = c.p.Runtime
	if d := c.appServer(); d != nil {
		return d, nil
	}
	rt := c.rt
	env := envLookup(rt)
	// The Java major the image ran, and the policy.
	orig, _ := imageMajor(in.Catalog, c.root)
	if orig == "" {
		orig = installedMajor(in, in.Chain)
	}
	if orig == "" {
		return convert.Declinef([]string{
			fmt.Sprintf("pin the runtime image to a Java release (e.g. %s) and run `distill fix` again", catalog.Expand(in.Catalog.Java.JREImage, map[string]string{"major": in.Catalog.Java.Available[len(in.Catalog.Java.Available)-1]})),
		}, "distill cannot tell which Java release %s runs, so it cannot pick a distroless Java image of the same release", c.root.Familiar()), nil
	}
	choice, d := choose(in, orig)
	if d != nil {
		return d, nil
	}
	if _, ok := c.distroless(); ok && rt.Entrypoint == nil && !startsWithJava(rt.Cmd) {
		// Already on a distroless Java image: its ENTRYPOINT runs CMD.
		rtCopy := *rt
		ep := in.Catalog.DistrolessImage("java" + choice.Major).Entrypoint
		rtCopy.Entrypoint = &dockerfile.Instruction{Kind: dockerfile.KindEntrypoint, Exec: &dockerfile.Exec{Args: ep}}
		l, why := parseLaunch(&rtCopy, env)
		if why != "" {
			return c.declineCommand(why), nil
		}
		l.Entrypoint, l.PassArgs = nil, false
		c.l = l
	} else {
		l, why := parseLaunch(rt, env)
		if why != "" {
			return c.declineCommand(why), nil
		}
		c.l = l
	}
	c.major = choice.Major
	c.image = in.DistrolessRef(in.Catalog.DistrolessImage("java" + choice.Major))

	// Paths and the jar.
	c.origWorkdir = origWorkdirAt(in, in.Target, nil)
	c.runs = c.analyseRuns()
	if d := c.runs.decline; d != nil {
		return d, nil
	}
	inPlace := c.canStayInPlace()
	// Paths resolve against the original working directory; in place, a
	// WORKDIR is written when the new image's default would differ.
	c.workdir = c.origWorkdir
	if d := c.locateJar(); d != nil {
		return d, nil
	}
	if d := c.checkBytecode(choice); d != nil {
		return d, nil
	}
	if d := c.noteVersion(choice); d != nil {
		return d, nil
	}
	if d := c.jvmOptions(); d != nil {
		return d, nil
	}
	noteDependents(in, c.p, in.Target, "the distroless image")
	moved, decline := c.p.MovePrivilegedPorts(inPlace)
	if decline != nil {
		return decline, nil
	}
	if old, arg, ok := convert.PortInArgs(moved, commandWords(c)); ok {
		return convert.Declinef([]string{"read the port from an ENV variable in the application (or pass a port above 1023) and run `distill fix` again"},
			"the command passes port %s (%q) to the application, and distroless runs it as uid 65532, which cannot bind ports below 1024 everywhere", old, arg), nil
	}
	if inPlace {
		return c.inPlace()
	}
	if c.root.IsDistroless() {
		return convert.Declinef([]string{"move the RUN steps into a build stage and COPY their results (COPY --chown=" + c.uid() + " for writable directories)"},
			"the shipped stage is already built on %s but runs RUN steps or needs prepared volumes, which an image without a shell cannot do", c.root.Familiar()), nil
	}
	return c.split()
}

// startsWithJava reports whether a CMD runs java itself (shell form, or
// the classic `CMD ["java", "-jar", …]` on an image whose ENTRYPOINT is
// already java -jar), so it is parsed as the whole command.
func startsWithJava(cmd *dockerfile.Instruction) bool {
	if cmd == nil {
		return false
	}
	if cmd.Exec.Shell {
		return true
	}
	return len(cmd.Exec.Args) > 0 && path.Base(cmd.Exec.Args[0]) == "java"
}

// distroless returns the parsed distroless reference of the shipped
// image, when it is one.
func (c *conv) distroless() (catalog.DistrolessRef, bool) {
	if !c.root.IsDistroless() {
		return catalog.DistrolessRef{}, false
	}
	return c.in.Catalog.ParseDistroless(strings.TrimPrefix(c.root.Repository, "distroless/"), c.root.Tag), true
}

// appServer declines images run by an application server's scripts.
func (c *conv) appServer() *convert.Result {
	server := ""
	for _, st := range c.in.Chain {
		if st.BaseStage != nil {
			continue
		}
		if im := c.in.Image(st.Base); im != nil && im.Kind == "java-server" {
			server = st.Base.Familiar()
		}
	}
	for _, ins := range []*dockerfile.Instruction{c.rt.Entrypoint, c.rt.Cmd} {
		if ins == nil {
			continue
		}
		for _, w := range strings.Fields(strings.Join(ins.Exec.Args, " ")) {
			if c.in.Catalog.IsJavaServerScript(path.Base(strings.Trim(w, `"'`))) {
				server = path.Base(strings.Trim(w, `"'`))
			}
		}
	}
	if server == "" {
		return nil
	}
	return convert.Declinef([]string{
		"package the application as an executable jar with an embedded server (Spring Boot, Quarkus, Micronaut, embedded Tomcat/Jetty) and run `distill fix` again",
		"keep the application server's official image, trimmed in a multi-stage build, or a hardened application-server image from Chainguard",
	}, "the image runs the application server %s, which is started and configured by shell scripts (catalina.sh and friends): distroless has no shell to run them", server)
}

func (c *conv) declineCommand(why string) *convert.Result {
	if strings.Contains(why, "with the build tool at start-up") {
		return convert.Declinef([]string{
			"package the application in a build stage (`./mvnw -B package`, `./gradlew bootJar`) and run the jar: `CMD [\"java\", \"-jar\", \"/app/app.jar\"]`, then run `distill fix` again",
		}, "the image cannot run on distroless: %s", why)
	}
	return convert.Declinef([]string{
		"start the JVM directly in exec form: `CMD [\"java\", \"-jar\", \"/app/app.jar\"]`, with JVM flags in ENV JAVA_TOOL_OPTIONS, and run `distill fix` again",
		"move start-up logic into the application (Spring profiles, configuration properties, environment variables)",
	}, "the image cannot run on distroless: %s", why)
}

// baseWorkdir is the WORKDIR an external image sets ("/" when none).
func baseWorkdir(in *convert.Input, ref dockerfile.ImageRef) string {
	if im := in.Image(ref); im != nil && im.Workdir != "" {
		return im.Workdir
	}
	if ref.IsDistroless() && strings.Contains(ref.Tag, "nonroot") {
		return in.Catalog.Distroless.NonrootWorkdir
	}
	return "/"
}

// openj9Option returns the first OpenJ9-only option the image passes to
// the JVM (command line, $JAVA_OPTS, JAVA_TOOL_OPTIONS…).
func (c *conv) openj9Option() string {
	env := envLookup(c.rt)
	opts := append([]string(nil), c.l.Options...)
	for _, v := range append(append([]string(nil), c.l.OptionVars...), "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "OPENJ9_JAVA_OPTIONS", "IBM_JAVA_OPTIONS") {
		if val, ok := env(v); ok {
			opts = append(opts, strings.Fields(val)...)
		}
	}
	for _, o := range opts {
		for _, pre := range c.in.Catalog.Java.OpenJ9Options {
			if strings.HasPrefix(o, pre) {
				return o
			}
		}
	}
	return ""
}

// noteVersion records the notes about the JVM the image now runs; it
// declines when the JVM options cannot work on HotSpot.
func (c *conv) noteVersion(choice *versionChoice) *convert.Result {
	in, p := c.in, c.p
	if choice.Upgraded {
		p.Note(convert.Behavior, "Java %s has no distroless image: the application now runs on Java %s (%s), the next release that has one; bytecode built for %s runs there, but test the application on %s (removed APIs, stricter encapsulation)", choice.Original, choice.Major, c.image, choice.Original, choice.Major)
	}
	if c.root.IsDistroless() {
		return nil
	}
	im := in.Image(c.root)
	if im != nil && im.VM == "openj9" {
		if o := c.openj9Option(); o != "" {
			return convert.Declinef([]string{
				"remove the OpenJ9-only option (or replace it with its HotSpot equivalent) and run `distill fix` again",
				"keep " + c.root.Familiar() + " in a multi-stage build",
			}, "the JVM option %s exists only on OpenJ9 (%s); distroless Java is Eclipse Temurin (HotSpot), which refuses to start with it", o, c.root.Familiar())
		}
	}
	if im != nil && im.Deprecated != "" {
		p.Note(convert.Change, "%s: %s", c.root.Familiar(), im.Deprecated)
	}
	if im != nil && im.VM == "openj9" {
		p.Note(convert.Risk, "%s runs the OpenJ9 VM; distroless Java is Eclipse Temurin (HotSpot), which has different defaults (memory, GC) and rejects OpenJ9-only options — pass none at run time", c.root.Familiar())
	} else if im != nil && im.Name != "eclipse-temurin" && im.Kind == "java" && im.Name != "maven" && im.Name != "gradle" {
		p.Note(convert.Change, "the JVM is now Eclipse Temurin %s (the distroless build) instead of %s", choice.Major, c.root.Familiar())
	}
	if im != nil && im.IsToolchainTag(c.root.Tag) {
		p.Note(convert.Behavior, "%s is a JDK; %s has only the JRE, so javac, jcmd, jstack and jshell are gone (the :debug tag has the JDK for troubleshooting, not for production)", c.root.Familiar(), c.image)
	}
	if c.root.Digest != "" {
		p.Note(convert.Risk, "the original runtime image was pinned by digest; pin %s by digest too (`crane digest %s`) to keep builds reproducible", c.image, c.image)
	}
	if from := c.in.Target.RootFrom().From; strings.Contains(from.From.Image, "$") {
		p.Note(convert.Change, "the runtime image no longer follows `%s`: distroless Java images exist only for Java %s, so the release is written out", from.From.Image, strings.Join(in.Catalog.Java.Available, ", "))
	}
	if _, ok := c.rt.EnvValue("JAVA_HOME"); ok {
		p.Note(convert.Risk, "ENV JAVA_HOME is kept but the distroless JRE is installed elsewhere (java is %s); anything that reads JAVA_HOME must not rely on the old path", c.javaPath())
	}
	if in.Options.Debian != 0 && in.Options.Debian != 13 {
		p.Note(convert.Change, "distroless Java images exist only for Debian 13, so the image is %s", c.image)
	}
	return nil
}

// checkBytecode enforces runtime major ≥ bytecode target.
func (c *conv) checkBytecode(choice *versionChoice) *convert.Result {
	target, from := "", ""
	if c.proj != nil && c.proj.Target != "" {
		target, from = c.proj.Target, c.proj.TargetFrom
		if c.proj.Dir != "" {
			from = path.Join(c.proj.Dir, from)
		}
		if c.proj.Tool == "maven" {
			from = "pom.xml " + from
		} else {
			from = "the Gradle build's " + from
		}
	}
	if target == "" {
		target, from = javacTarget(c.in, c.in.Reachable())
	}
	if target != "" {
		if catalog.CompareVersions(target, choice.Major) > 0 {
			return convert.Declinef([]string{
				fmt.Sprintf("run the application on a Java %s or newer runtime (e.g. %s) and run `distill fix` again", target, catalog.Expand(c.in.Catalog.Java.JREImage, map[string]string{"major": target})),
				fmt.Sprintf("or compile for Java %s (maven.compiler.release / options.release)", choice.Major),
			}, "the application is compiled for Java %s (%s), above the Java %s runtime: it would fail with UnsupportedClassVersionError", target, from, choice.Major)
		}
		return nil
	}
	// No explicit target: javac targets its own release.
	if b := c.builderMajor(); b != "" && catalog.CompareVersions(b, choice.Major) > 0 {
		c.p.Note(convert.Risk, "the jar is built with JDK %s but runs on Java %s; that works only if the build targets Java %s or lower (maven.compiler.release, options.release) — distill could not check it without the build files", b, choice.Major, choice.Major)
	}
	return nil
}

// builderMajor is the JDK release of the stage that builds the jar.
func (c *conv) builderMajor() string {
	if c.origin != nil && c.origin.Stage != nil {
		return stageMajor(c.in, c.origin.Stage)
	}
	for _, st := range c.in.Reachable() {
		if c.in.HasCommand([]*dockerfile.Stage{st}, "mvn", "mvnw", "gradle", "gradlew", "javac") {
			return stageMajor(c.in, st)
		}
	}
	return ""
}

// jvmOptions moves JVM options a shell expanded (and, when the command
// moves to CMD on the image's `java -jar` ENTRYPOINT, the literal ones)
// into the environment variables the JVM reads.
func (c *conv) jvmOptions() *convert.Result {
	l, p, env := c.l, c.p, envLookup(c.rt)
	var toolRefs, launcherRefs []string
	for _, v := range l.OptionVars {
		val, ok := env(v)
		if !ok {
			p.Note(convert.Behavior, "the command expanded $%s, which has no value in the image; without a shell nothing expands it — pass JVM options at run time in JAVA_TOOL_OPTIONS instead (e.g. `docker run -e JAVA_TOOL_OPTIONS=…`)", v)
			continue
		}
		if strings.TrimSpace(val) == "" {
			continue
		}
		if launcherOptions(val) {
			launcherRefs = append(launcherRefs, "$"+v)
		} else {
			toolRefs = append(toolRefs, "$"+v)
		}
		p.Note(convert.Behavior, "the command expanded $%s, which needs a shell; its value now reaches the JVM through %s (set from ENV %s at build time) — to change JVM options at run time set %s, not %s", v, optionsVar(launcherRefs, "$"+v), v, optionsVar(launcherRefs, "$"+v), v)
	}
	var literal []string
	if !c.keepEntrypoint() && l.mode() == "jar" {
		literal = l.Options
		for _, o := range literal {
			if strings.HasPrefix(o, "@") {
				return convert.Declinef([]string{"list the options from the argument file in ENV JDK_JAVA_OPTIONS"},
					"the command reads JVM options from the argument file %s, which JDK_JAVA_OPTIONS cannot hold", o)
			}
			if strings.ContainsAny(o, " \t\"'") {
				return convert.Declinef([]string{"set the option in ENV JDK_JAVA_OPTIONS yourself, quoted"},
					"the JVM option %q contains spaces or quotes, which distill does not move into JDK_JAVA_OPTIONS", o)
			}
		}
	}
	if len(literal) > 0 {
		launcherRefs = append(launcherRefs, joinOptions(literal))
		p.Note(convert.Change, "the JVM options %s moved to ENV JDK_JAVA_OPTIONS: the distroless image's ENTRYPOINT is `java -jar`, so the command holds only the jar and its arguments", strings.Join(literal, " "))
	}
	add := func(key string, parts []string) {
		if len(parts) == 0 {
			return
		}
		val := strings.Join(parts, " ")
		if _, ok := c.rt.EnvValue(key); ok {
			val = "$" + key + " " + val
		}
		c.env = append(c.env, dockerfile.KeyValue{Key: key, Value: val})
	}
	add("JAVA_TOOL_OPTIONS", toolRefs)
	add("JDK_JAVA_OPTIONS", launcherRefs)
	return nil
}

// launcherOptions reports whether an options string holds launcher-style
// options (--add-opens …), which only JDK_JAVA_OPTIONS accepts in their
// two-word form.
func launcherOptions(val string) bool {
	for _, f := range strings.Fields(val) {
		if strings.HasPrefix(f, "--") {
			return true
		}
	}
	return false
}

func optionsVar(launcher []string, ref string) string {
	for _, l := range launcher {
		if l == ref {
			return "JDK_JAVA_OPTIONS"
		}
	}
	return "JAVA_TOOL_OPTIONS"
}

// joinOptions renders launcher options for JDK_JAVA_OPTIONS, joining
// option/value pairs with "=" where the launcher accepts it.
func joinOptions(opts []string) string {
	var out []string
	for i := 0; i < len(opts); i++ {
		o := opts[i]
		if valueOptions[o] && strings.HasPrefix(o, "--") && i+1 < len(opts) {
			out = append(out, o+"="+opts[i+1])
			i++
			continue
		}
		out = append(out, o)
	}
	return strings.Join(out, " ")
}

// keepEntrypoint reports whether the new image keeps an ENTRYPOINT that
// starts java itself: the original forwarded `docker run` arguments to
// the application, or it runs a main class.
func (c *conv) keepEntrypoint() bool {
	return c.l.PassArgs || c.l.mode() == "main"
}

// command returns the new ENTRYPOINT (nil: the image's own `java -jar`)
// and CMD.
func (c *conv) command(absolute bool) ([]string, []string) {
	l := c.l
	resolve := func(p string) string {
		if absolute {
			return convert.Absolute(c.workdir, p)
		}
		return p
	}
	if !c.keepEntrypoint() {
		return nil, append([]string{c.jar}, l.Args...)
	}
	ep := []string{"java"}
	ep = append(ep, l.Options...)
	classPath := l.ClassPath
	if classPath == "" && absolute && l.mode() == "main" {
		classPath = "." // the working directory, which may differ now
	}
	if classPath != "" {
		var cp []string
		for _, e := range strings.Split(classPath, ":") {
			cp = append(cp, resolve(e))
		}
		ep = append(ep, "-cp", strings.Join(cp, ":"))
	}
	if l.mode() == "jar" {
		jar := l.Jar
		if absolute || strings.ContainsAny(jar, "*?[") {
			jar = c.jar
		}
		ep = append(ep, "-jar", jar)
	} else if l.Module {
		ep = append(ep, "-m", l.MainClass)
	} else {
		ep = append(ep, l.MainClass)
	}
	execCmd := func() []string {
		if l.Cmd == nil || l.Cmd.Exec.Shell {
			return nil
		}
		return append([]string(nil), l.Cmd.Exec.Args...)
	}
	switch {
	case !l.PassArgs:
		// The original command came from CMD: its arguments stay there,
		// so `docker run <image> args…` still replaces them.
		if len(l.Args) == 0 {
			return ep, nil
		}
		return ep, append([]string(nil), l.Args...)
	case l.Shell:
		// sh -c '… "$@"': the script's own arguments start the
		// ENTRYPOINT; CMD stays the forwarded arguments.
		return append(ep, l.Args...), execCmd()
	}
	// An exec-form ENTRYPOINT: CMD's words are the tail of the arguments.
	cmdArgs := execCmd()
	if len(cmdArgs) > len(l.Args) {
		cmdArgs = nil
	}
	ep = append(ep, l.Args[:len(l.Args)-len(cmdArgs)]...)
	return ep, cmdArgs
}

// uid is the distroless nonroot uid as an owner ("65532:65532").
func (c *conv) uid() string {
	u := fmt.Sprint(c.in.Catalog.Distroless.NonrootUID)
	return u + ":" + u
}

// imageEntrypoint renders the distroless Java image's ENTRYPOINT.
func (c *conv) imageEntrypoint() string {
	return strings.Join(c.in.Catalog.DistrolessImage("java"+c.major).Entrypoint, " ")
}

// javaPath is the java launcher in the distroless image.
func (c *conv) javaPath() string {
	return c.in.Catalog.DistrolessImage("java" + c.major).Interpreter
}

// ---- the jar ----

// jarOrigin is where the jar in the image comes from.
type jarOrigin struct {
	// Copy is the COPY/ADD in the shipped chain that brings the jar in.
	Copy *dockerfile.Instruction
	// Stage is the build stage it is copied from (nil for the build
	// context).
	Stage *dockerfile.Stage
	// Src is the matching source: absolute in Stage, or relative to the
	// build context.
	Src string
	// Built is true when the shipped chain builds the jar itself.
	Built bool
	// FromArg is true when the source names a build argument
	// (COPY ${JAR_FILE} app.jar), so the line cannot be rewritten.
	FromArg bool
}

// locateJar resolves the jar path and where it comes from, and makes the
// name exact.
func (c *conv) locateJar() *convert.Result {
	l := c.l
	if l.mode() != "jar" {
		return nil
	}
	jar := convert.Absolute(c.workdir, l.Jar)
	c.jar = jar
	glob := strings.ContainsAny(path.Base(jar), "*?[")
	if strings.ContainsAny(path.Dir(jar), "*?[") {
		return convert.Declinef([]string{"name the jar's directory exactly in the command"}, "the jar path %s has a glob in its directory, which distroless cannot expand", l.Jar)
	}
	builds := c.in.HasCommand(c.in.Chain, "mvn", "mvnw", "gradle", "gradlew", "javac", "jar", "kotlinc")
	c.origin = c.findCopy(jar)
	if c.origin == nil && builds {
		c.origin = &jarOrigin{Built: true}
	}
	if o := c.origin; o != nil && o.Copy != nil && o.Stage == nil && builds && len(o.Copy.Copy.Sources) == 1 && path.Clean(o.Copy.Copy.Sources[0]) == "." {
		// The source tree is copied in and built here.
		o.Built = true
	}
	c.proj = c.projectFor()
	if glob {
		name := c.exactName(path.Base(jar))
		if name == "" {
			return c.declineName(fmt.Sprintf("the command runs `java -jar %s`, a glob only a shell expands; distill needs the exact jar name", l.Jar))
		}
		c.jar = path.Join(path.Dir(jar), name)
		c.p.Note(convert.Change, "the jar is named exactly (%s, as %s): distroless has no shell to expand %s", c.jar, c.whyName(), l.Jar)
	}
	if c.origin == nil {
		return convert.Declinef([]string{"COPY the jar into the image with an explicit destination (`COPY --from=build /src/target/app-1.0.jar /app/app.jar`) and run that path"},
			"distill cannot tell how %s gets into the image", c.jar)
	}
	return c.exactCopy()
}

// exactCopy makes the COPY that brings the jar in name one file when its
// source is a glob and its destination a file.
func (c *conv) exactCopy() *convert.Result {
	o := c.origin
	if o.Copy == nil || !strings.ContainsAny(path.Base(o.Src), "*?[") || copyToDir(o.Copy) {
		return nil
	}
	name := c.exactName(path.Base(o.Src))
	if name == "" || o.FromArg {
		gradle := c.proj != nil && c.proj.Tool == "gradle" || c.stageTool(o.Stage) == "gradle" || strings.Contains(o.Src, "build/libs/")
		if gradle && name != "" {
			return c.declineName(fmt.Sprintf("line %d copies the glob %s (from a build argument) to the single file %s; the Gradle build writes %s there, so COPY fails with \"When using COPY with more than one source file, the destination must be a directory and end with a /\" — set the build argument's default to %s", o.Copy.StartLine, o.Src, o.Copy.Copy.Dest, c.ambiguousOr(name), path.Join(path.Dir(o.Src), name)))
		}
		if gradle {
			return c.declineName(fmt.Sprintf("line %d copies the glob %s to the single file %s; a Gradle build with the Spring Boot plugin (2.5+) writes two jars there, and COPY then fails with \"When using COPY with more than one source file, the destination must be a directory and end with a /\"", o.Copy.StartLine, o.Src, o.Copy.Copy.Dest))
		}
		if name != "" {
			c.p.Note(convert.Risk, "line %d copies the glob %s (from a build argument) to a single file; the build writes %s there — set the argument's default to that name so a second matching jar cannot break the COPY", o.Copy.StartLine, o.Src, name)
			return nil
		}
		c.p.Note(convert.Risk, "line %d copies the glob %s to a single file; it works only while the build writes exactly one matching jar (a shade, assembly or sources plugin adds more) — name the jar exactly", o.Copy.StartLine, o.Src)
		return nil
	}
	src := path.Join(path.Dir(o.Src), name)
	orig := path.Base(o.Src)
	text := strings.Replace(c.text(o.Copy), orig, name, 1)
	if text == c.text(o.Copy) {
		return c.declineName(fmt.Sprintf("distill could not rewrite line %d to name the jar exactly", o.Copy.StartLine))
	}
	c.rewrite(o.Copy, text)
	if c.ambiguous != "" {
		trap := ""
		if c.proj != nil && c.proj.Tool == "gradle" {
			trap = " (the Gradle plain-jar trap)"
		}
		c.p.Note(convert.Change, "line %d copies %s instead of the glob %s, which matches %s: the original COPY of several files to one destination fails with \"When using COPY with more than one source file, the destination must be a directory and end with a /\"%s; %s is the runnable jar", o.Copy.StartLine, name, o.Src, c.ambiguous, trap, name)
	} else {
		c.p.Note(convert.Change, "line %d copies %s instead of the glob %s: %s, and COPY of a glob to a single file fails as soon as it matches two", o.Copy.StartLine, name, o.Src, c.whyName())
	}
	o.Src = src
	return nil
}

// ambiguousOr lists the archives a glob matched, or the one name.
func (c *conv) ambiguousOr(name string) string {
	if c.ambiguous != "" {
		return c.ambiguous
	}
	return name
}

// expandVars replaces $NAME and ${NAME} with values from env (ARG and
// ENV values in effect); unknown variables stay.
func expandVars(s string, env map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		sm := varRef.FindStringSubmatch(m)
		if v, ok := env[sm[1]+sm[2]]; ok {
			return convert.EnvLiteral(v)
		}
		return m
	})
}

// whyName says which build file gave the jar's name.
func (c *conv) whyName() string {
	pr := c.proj
	if pr == nil {
		return "the build names it"
	}
	file := "pom.xml"
	if pr.Tool == "gradle" {
		file = "the Gradle build"
	}
	if pr.Dir != "" {
		file = pr.Dir + "/" + file
	}
	all := make([]string, 0, len(pr.Archives))
	for _, a := range pr.Archives {
		all = append(all, a.Name)
	}
	return fmt.Sprintf("%s writes %s into %s", file, strings.Join(all, " and "), pr.Out)
}

func (c *conv) declineName(why string) *convert.Result {
	alts := []string{
		"name the jar exactly in the Dockerfile (`COPY --from=build /src/build/libs/app-1.0.jar /app/app.jar`)",
		"or fix the name in the build: Gradle `bootJar { archiveFileName = 'app.jar' }` and `jar { enabled = false }`; Maven `<finalName>app</finalName>`",
		"or add the build files (pom.xml, build.gradle, settings.gradle) to the context distill reads, so it can compute the name",
	}
	return convert.Declinef(alts, "%s", why)
}

// exactName returns the single archive of the jar's build matching glob
// (the runnable one when the glob matches several), "" when the build
// files do not say.
func (c *conv) exactName(glob string) string {
	pr := c.proj
	if pr == nil || !pr.Known {
		return ""
	}
	m := pr.match(glob)
	if len(m) == 1 {
		return m[0].Name
	}
	var runnable []string
	for _, a := range m {
		if a.Runnable {
			runnable = append(runnable, a.Name)
		}
	}
	if len(runnable) == 1 {
		c.ambiguous = archiveNames(m)
		return runnable[0]
	}
	return ""
}

func archiveNames(as []archive) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return strings.Join(out, ", ")
}

// copyToDir reports whether a COPY's destination is a directory.
func copyToDir(ins *dockerfile.Instruction) bool {
	d := ins.Copy.Dest
	return strings.HasSuffix(d, "/") || d == "." || d == ".." || len(ins.Copy.Sources) > 1
}

// findCopy finds the COPY/ADD in the shipped chain that puts the file at
// p in the image.
func (c *conv) findCopy(p string) *jarOrigin {
	var found *jarOrigin
	for _, st := range c.in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if len(ins.Copy.Heredocs) > 0 {
				continue
			}
			wd := c.workdirAt(st, ins)
			dst := convert.Absolute(wd, ins.Copy.Dest)
			var from *dockerfile.Stage
			if ins.Copy.From != "" {
				from = c.in.File.Stage(ins.Copy.From)
				if from == nil {
					continue // an external image
				}
			}
			env := convert.EnvAt(st, ins)
			for _, raw := range ins.Copy.Sources {
				s := expandVars(raw, env)
				src := s
				if from != nil {
					src = convert.Absolute("/", s)
				} else {
					src = strings.TrimPrefix(path.Clean(s), "./")
				}
				target := dst
				toDir := copyToDir(ins)
				if toDir {
					target = path.Join(dst, path.Base(src))
				}
				fromArg := s != raw
				switch {
				case target == p:
					found = &jarOrigin{Copy: ins, Stage: from, Src: src, FromArg: fromArg}
				case toDir && strings.ContainsAny(path.Base(src), "*?[") && path.Dir(p) == dst:
					if ok, _ := path.Match(path.Base(src), path.Base(p)); ok {
						found = &jarOrigin{Copy: ins, Stage: from, Src: path.Join(path.Dir(src), path.Base(p)), FromArg: fromArg}
					}
				case strings.ContainsAny(path.Base(p), "*?[") && toDir && path.Dir(p) == dst:
					found = &jarOrigin{Copy: ins, Stage: from, Src: path.Join(path.Dir(src), path.Base(p)), FromArg: fromArg}
				case looksLikeDir(s) && strings.HasPrefix(p, strings.TrimSuffix(dst, "/")+"/"):
					// A directory's contents copied to dst.
					rel := strings.TrimPrefix(p, strings.TrimSuffix(dst, "/")+"/")
					if toDir && len(ins.Copy.Sources) > 1 {
						continue
					}
					found = &jarOrigin{Copy: ins, Stage: from, Src: path.Join(src, rel), FromArg: fromArg}
				}
			}
		}
	}
	return found
}

// looksLikeDir reports whether a COPY source names a directory: "." or a
// trailing slash, or a last element without an extension.
func looksLikeDir(src string) bool {
	if strings.ContainsAny(src, "*?[") {
		return false
	}
	if strings.HasSuffix(src, "/") || path.Base(src) == "." {
		return true
	}
	return !strings.Contains(path.Base(src), ".")
}

// workdirAt is the working directory at an instruction of a chain stage,
// against which relative destinations resolve in the new image.
func (c *conv) workdirAt(st *dockerfile.Stage, at *dockerfile.Instruction) string {
	return origWorkdirAt(c.in, st, at)
}

// origWorkdirAt is the working directory of the original image at an
// instruction of a stage (nil: after the stage): the chain root image's
// default, then each WORKDIR.
func origWorkdirAt(in *convert.Input, st *dockerfile.Stage, at *dockerfile.Instruction) string {
	chain := in.File.ImageChain(st)
	wd := baseWorkdir(in, chain[0].Base)
	for _, s := range chain {
		for _, ins := range s.Instructions {
			if ins == at {
				return wd
			}
			if ins.Kind == dockerfile.KindWorkdir {
				wd = convert.Absolute(wd, ins.Value)
			}
		}
	}
	return wd
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// stageTool says which build tool a stage (and its chain) runs.
func (c *conv) stageTool(st *dockerfile.Stage) string {
	if st == nil {
		st = c.in.Target
	}
	chain := c.in.File.ImageChain(st)
	switch {
	case c.in.HasCommand(chain, "gradle", "gradlew"):
		return "gradle"
	case c.in.HasCommand(chain, "mvn", "mvnw"):
		return "maven"
	}
	if im := c.in.Image(st.RootBase()); im != nil && (im.Name == "gradle" || im.Name == "maven") {
		return im.Name
	}
	return ""
}

// projectFor reads the build files of the module that writes the jar.
func (c *conv) projectFor() *project {
	o := c.origin
	if o == nil {
		return nil
	}
	var outDir string // the jar's directory relative to the context root
	switch {
	case o.Copy != nil && o.Stage == nil:
		outDir = path.Dir(o.Src)
	case o.Copy != nil:
		root := c.contextRoot(o.Stage)
		if root == "" {
			return nil
		}
		outDir = relTo(root, path.Dir(o.Src))
	case o.Built:
		root := c.contextRoot(c.in.Target)
		if root == "" {
			return nil
		}
		outDir = relTo(root, path.Dir(c.jar))
	}
	if outDir == "" {
		return nil
	}
	tool := c.stageTool(o.Stage)
	for _, out := range []string{"target", "build/libs"} {
		if outDir != out && !strings.HasSuffix(outDir, "/"+out) {
			continue
		}
		mod := strings.TrimSuffix(strings.TrimSuffix(outDir, out), "/")
		if out == "target" && tool != "gradle" {
			if b, ok := c.in.Context.Read(path.Join(mod, "pom.xml")); ok {
				return parsePom(b, mod)
			}
		}
		if out == "build/libs" && tool != "maven" {
			return c.gradleProject(mod)
		}
	}
	return nil
}

// gradleProject reads a Gradle module.
func (c *conv) gradleProject(mod string) *project {
	ctx := c.in.Context
	var build []byte
	found := false
	for _, f := range []string{"build.gradle", "build.gradle.kts"} {
		if b, ok := ctx.Read(path.Join(mod, f)); ok {
			build, found = b, true
			break
		}
	}
	if !found {
		return nil
	}
	var settings []byte
	for _, f := range []string{"settings.gradle", "settings.gradle.kts"} {
		if b, ok := ctx.Read(f); ok {
			settings = b
			break
		}
	}
	rootName, mods := gradleSettings(settings)
	name := rootName
	if mod != "" {
		name = ""
		for _, m := range mods {
			if m == mod {
				name = path.Base(mod)
			}
		}
	}
	props, _ := ctx.Read(path.Join(mod, "gradle.properties"))
	if len(props) == 0 {
		props, _ = ctx.Read("gradle.properties")
	}
	return parseGradle(build, props, name, mod)
}

// contextRoot is where a stage copied the build context (`COPY . .`, or
// the directory it copied the build file to), "" when unknown.
func (c *conv) contextRoot(st *dockerfile.Stage) string {
	for _, s := range c.in.File.ImageChain(st) {
		for _, ins := range s.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From != "" {
				continue
			}
			wd := c.in.WorkdirAt(s, ins)
			if s.BaseStage == nil && wd == "/" {
				wd = baseWorkdir(c.in, s.Base)
			}
			dst := convert.Absolute(wd, ins.Copy.Dest)
			for _, src := range ins.Copy.Sources {
				switch path.Clean(src) {
				case ".":
					return dst
				case "pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts":
					if copyToDir(ins) {
						return dst
					}
					return path.Dir(dst)
				}
			}
		}
	}
	return ""
}

// relTo returns p relative to root ("" when p is not under root).
func relTo(root, p string) string {
	root, p = path.Clean(root), path.Clean(p)
	if p == root {
		return "."
	}
	if root == "/" {
		return strings.TrimPrefix(p, "/")
	}
	if strings.HasPrefix(p, root+"/") {
		return strings.TrimPrefix(p, root+"/")
	}
	return ""
}

// ---- RUN instructions of the shipped chain ----

type runAnalysis struct {
	removable []*dockerfile.Instruction
	kept      []*dockerfile.Instruction
	// writable are directories the original created or chowned for the
	// application.
	writable []string
	// created are files RUN downloads (curl -o, wget -O).
	created []string
	// other are RUNs whose effects distill cannot see.
	other []*dockerfile.Instruction
	// setcap is a RUN that gave the JVM binary file capabilities.
	setcap  *dockerfile.Instruction
	decline *convert.Result
}

// analyseRuns classifies the RUN instructions of the shipped chain.
func (c *conv) analyseRuns() runAnalysis {
	var ra runAnalysis
	in := c.in
	healthOnly := func(pkg string) bool {
		return in.OnlyForHealthcheck(pkg) || (c.l != nil && c.l.Wrapper != "" && pkg == c.l.Wrapper)
	}
	// A JRE/JDK package is replaced by the distroless image's own JRE.
	extra := func(pkg string) bool {
		return in.Catalog.InJavaBase(pkg) || healthOnly(pkg) || jrePackage.MatchString(pkg)
	}
	var later []string // programs RUN invokes, to tell build tools from runtime tools
	for _, rc := range in.Commands(in.Chain...) {
		later = append(later, rc.Base())
	}
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindRun) {
			if in.RemovableRunWith(ins, extra) {
				ra.removable = append(ra.removable, ins)
				continue
			}
			if c.javaSetcap(ins, extra) {
				ra.removable = append(ra.removable, ins)
				ra.setcap = ins
				continue
			}
			ra.kept = append(ra.kept, ins)
			s := in.Script(ins)
			if s == nil {
				ra.other = append(ra.other, ins)
				continue
			}
			wd := in.WorkdirAt(st, ins)
			if st.BaseStage == nil && wd == "/" {
				wd = baseWorkdir(in, st.Base)
			}
			unknown := false
			for _, cmd := range s.Commands {
				switch {
				case cmd.Is("apt-get", "apt", "apk", "yum", "dnf", "microdnf"):
					pkgs := installedPackages(cmd)
					for _, pkg := range pkgs {
						switch {
						case in.Catalog.InDistroless(pkg), in.Catalog.InJavaBase(pkg), healthOnly(pkg),
							in.Catalog.IsToolchainPackage(pkg), jrePackage.MatchString(pkg), usedLater(pkg, later):
						case in.Catalog.IsRuntimeTool(pkg):
							ra.decline = convert.Declinef([]string{
								"if the application does not run " + pkg + " at run time, remove the install and run `distill fix` again",
								"keep a slim JRE image such as " + catalog.Expand(in.Catalog.Java.JREImage, map[string]string{"major": c.majorHint()}) + " in a multi-stage build",
							}, "the shipped image installs %s (line %d), a tool distroless does not have; the application may run it", pkg, ins.StartLine)
							return ra
						default:
							ra.decline = convert.Declinef([]string{
								"if the application does not need " + pkg + ", remove the install and run `distill fix` again",
								"keep a slim JRE image such as " + catalog.Expand(in.Catalog.Java.JREImage, map[string]string{"major": c.majorHint()}) + " in a multi-stage build",
							}, "the shipped image installs %s (line %d), which the distroless Java image does not contain and which distill cannot carry over safely (JNI libraries need their whole dependency closure)", pkg, ins.StartLine)
							return ra
						}
					}
				case cmd.Is("mkdir"):
					for _, d := range cmd.Positionals("-m", "--mode") {
						ra.writable = convert.AppendUnique(ra.writable, convert.Absolute(wd, d))
					}
				case cmd.Is("chown"):
					pos := cmd.Positionals("--from", "--reference")
					if len(pos) > 1 {
						for _, d := range pos[1:] {
							ra.writable = convert.AppendUnique(ra.writable, convert.Absolute(wd, d))
						}
					}
				case cmd.Is("curl"):
					if o, ok := cmd.Flag("-o", "--output"); ok && o != "" {
						ra.created = convert.AppendUnique(ra.created, convert.Absolute(wd, o))
					}
				case cmd.Is("wget"):
					if o, ok := cmd.Flag("-O", "--output-document"); ok && o != "" && o != "-" {
						ra.created = convert.AppendUnique(ra.created, convert.Absolute(wd, o))
					}
				case cmd.Is("chmod", "ln", "rm", "true", "set", "echo", "useradd", "adduser", "groupadd", "addgroup", "update-ca-certificates",
					"mvn", "mvnw", "gradle", "gradlew", "javac", "jar", "kotlinc", "java", "cp", "mv", "unzip", "tar", "sh", "bash", "find", "ls", "cat", "test", "["):
				default:
					unknown = true
				}
			}
			if unknown {
				ra.other = append(ra.other, ins)
			}
		}
	}
	for i, d := range ra.writable {
		if strings.Contains(d, "$") {
			ra.writable[i] = ""
		}
	}
	return ra
}

// javaSetcap reports whether a RUN only gives the JVM binary file
// capabilities (setcap cap_net_bind_service=+ep …/java), next to package
// steps the image does not need: the JVM is replaced, so it goes.
func (c *conv) javaSetcap(ins *dockerfile.Instruction, extra func(string) bool) bool {
	s := c.in.Script(ins)
	if s == nil {
		return false
	}
	found := false
	for _, cmd := range s.Commands {
		switch {
		case cmd.Is("setcap"):
			pos := cmd.Positionals()
			if len(pos) < 2 || path.Base(pos[len(pos)-1]) != "java" && !strings.Contains(pos[len(pos)-1], "/java") {
				return false
			}
			found = true
		case cmd.Is("apt-get", "apt", "apk"):
			for _, pkg := range installedPackages(cmd) {
				if pkg != "libcap2-bin" && pkg != "libcap" && !extra(pkg) && !c.in.Catalog.InDistroless(pkg) {
					return false
				}
			}
		case cmd.Is("rm", "true", "set"):
		default:
			return false
		}
	}
	return found
}

// majorHint is a Java major for alternatives before the policy ran.
func (c *conv) majorHint() string {
	if m, _ := imageMajor(c.in.Catalog, c.root); m != "" {
		return m
	}
	return c.in.Catalog.Java.Available[len(c.in.Catalog.Java.Available)-1]
}

// installedPackages returns the packages an install command names.
func installedPackages(cmd interface {
	Positionals(...string) []string
}) []string {
	pos := cmd.Positionals("-o", "-t", "--repository", "-X", "--virtual")
	for i, p := range pos {
		switch p {
		case "install", "add":
			return pos[i+1:]
		}
	}
	return nil
}

func usedLater(pkg string, programs []string) bool {
	for _, p := range programs {
		if p == pkg {
			return true
		}
	}
	return false
}

// canStayInPlace reports whether the shipped stage can simply move onto the
// distroless image: one stage, only removable RUNs, nothing needing a
// shell, volumes prepared for the nonroot user.
func (c *conv) canStayInPlace() bool {
	in := c.in
	if len(in.Chain) != 1 || len(c.runs.kept) > 0 || c.rt.Shell != nil {
		return false
	}
	for _, ins := range in.Target.Instructions {
		if ins.Kind == dockerfile.KindOnbuild || ins.Kind == dockerfile.KindShell {
			return false
		}
	}
	if in.Options.NonRoot {
		for _, v := range c.rt.Volumes {
			if !c.preparedVolume(v) {
				return false
			}
		}
	}
	return true
}

// preparedVolume reports whether a VOLUME directory is copied in owned by
// the nonroot user.
func (c *conv) preparedVolume(v string) bool {
	for _, w := range c.in.Catalog.Distroless.WritableDirs {
		if path.Clean(v) == w {
			return true
		}
	}
	for _, ins := range c.in.Target.All(dockerfile.KindCopy) {
		if path.Clean(convert.Absolute(c.origWorkdir, ins.Copy.Dest)) == path.Clean(v) && (strings.HasPrefix(ins.Copy.Chown, fmt.Sprint(c.in.Catalog.Distroless.NonrootUID)) || strings.HasPrefix(ins.Copy.Chown, "nonroot")) {
			return true
		}
	}
	return false
}

// ---- emitting ----

// inPlace rewrites the shipped stage onto the distroless image.
func (c *conv) inPlace() (*convert.Result, error) {
	in, p, rt, ed := c.in, c.p, c.rt, c.p.Editor
	t := in.Target
	p.InPlace = true
	from := t.From
	same := c.root.IsDistroless() && strings.TrimSuffix(c.root.Name()+":"+c.root.Tag, ":") == c.image
	if !same {
		ed.Replace(from, fromLine(in, from, c.image))
		p.Note(convert.Change, "the shipped stage runs on %s instead of %s", c.image, c.root.Familiar())
		if strings.HasPrefix(c.root.Tag, "debug") {
			p.Note(convert.Behavior, "the :%s tag contains busybox and is not meant for production; the image now uses %s", c.root.Tag, c.image)
		}
	}
	for _, ins := range c.runs.removable {
		ed.Delete(ins)
		p.Note(convert.Change, "removed `%s`: %s", truncate(oneLine(ins.Original), 70), c.whyRemovable(ins))
	}
	if !(c.root.IsDistroless() && strings.Contains(c.root.Tag, "nonroot")) {
		p.FinalStage(c.image) // user, port and volume notes
	}
	if c.needsWorkdir() {
		newDefault := in.Catalog.Distroless.RootWorkdir
		if in.Options.NonRoot {
			newDefault = in.Catalog.Distroless.NonrootWorkdir
		}
		if base := baseWorkdir(in, c.root); newDefault != base {
			ed.InsertAfter(from, convert.Keyword(in.File, "WORKDIR")+" "+base)
			p.Note(convert.Change, "WORKDIR %s is written out: relative paths in the stage resolved against %s's default, and %s's default is %s", base, c.root.Familiar(), c.image, newDefault)
		}
	}
	// Users: a named user does not exist in distroless.
	for _, ins := range t.Instructions {
		switch ins.Kind {
		case dockerfile.KindUser:
			if !(rt.NumericNonRootUser() && ins == rt.UserInstr) && in.Options.NonRoot {
				ed.Delete(ins)
			}
		case dockerfile.KindCopy, dockerfile.KindAdd:
			if ins.Copy.Chown != "" && !knownUser(ins.Copy.Chown) {
				owner := c.uid()
				if !in.Options.NonRoot {
					owner = "0:0"
				}
				c.rewrite(ins, strings.Replace(c.text(ins), "--chown="+ins.Copy.Chown, "--chown="+owner, 1))
				p.Note(convert.Change, "line %d copies with --chown=%s instead of %s: that user does not exist in the distroless image", ins.StartLine, owner, ins.Copy.Chown)
			}
		case dockerfile.KindHealthcheck:
			line, note := in.ConvertHealthcheck(ins, convert.HealthProbe{}, nil)
			p.EditHealthcheck(ins, line, note)
		}
	}
	c.applyRewrites()
	c.noteRuns()
	c.noteSetcap()
	// The command.
	ep, cmd := c.command(false)
	c.emitCommand(ep, cmd)
	return p.Text(c.image)
}

// whyRemovable says why a RUN the distroless image does not need can go.
func (c *conv) whyRemovable(ins *dockerfile.Instruction) string {
	in := c.in
	var already, health, users, wrapper, jre []string
	s := in.Script(ins)
	for _, cmd := range s.Commands {
		switch {
		case cmd.Is("useradd", "adduser", "addgroup", "groupadd"):
			users = convert.AppendUnique(users, cmd.Base())
		case cmd.Is("apt-get", "apt", "apk"):
			for _, pkg := range installedPackages(cmd) {
				switch {
				case ins == c.runs.setcap && (pkg == "libcap2-bin" || pkg == "libcap"):
				case c.l != nil && pkg == c.l.Wrapper:
					wrapper = convert.AppendUnique(wrapper, pkg)
				case jrePackage.MatchString(pkg):
					jre = convert.AppendUnique(jre, pkg)
				case in.OnlyForHealthcheck(pkg):
					health = convert.AppendUnique(health, pkg)
				default:
					already = convert.AppendUnique(already, pkg)
				}
			}
		}
	}
	var why []string
	if len(already) > 0 {
		why = append(why, fmt.Sprintf("%s %s already in the distroless Java image", strings.Join(already, ", "), isAre(len(already))))
	}
	if len(health) > 0 {
		why = append(why, fmt.Sprintf("%s served only the HEALTHCHECK, which is dropped", strings.Join(health, ", ")))
	}
	if len(wrapper) > 0 {
		why = append(why, fmt.Sprintf("%s is no longer used", strings.Join(wrapper, ", ")))
	}
	if len(jre) > 0 {
		why = append(why, fmt.Sprintf("the distroless image brings its own JRE instead of %s", strings.Join(jre, ", ")))
	}
	if len(users) > 0 {
		why = append(why, fmt.Sprintf("the distroless nonroot user (%d) replaces the created one", in.Catalog.Distroless.NonrootUID))
	}
	if ins == c.runs.setcap {
		why = append(why, "it set a file capability on the old image's java binary, which is replaced")
	}
	if len(why) == 0 {
		return "the distroless image does not need it"
	}
	return strings.Join(why, "; ")
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// needsWorkdir reports whether the shipped stage uses paths relative to
// the working directory: COPY/ADD destinations or the command's jar or
// class path.
func (c *conv) needsWorkdir() bool {
	if w := c.in.Target.All(dockerfile.KindWorkdir); len(w) > 0 {
		// Only a relative first WORKDIR depends on the default.
		return !strings.HasPrefix(w[0].Value, "/")
	}
	for _, ins := range c.in.Target.All(dockerfile.KindCopy, dockerfile.KindAdd) {
		if !strings.HasPrefix(ins.Copy.Dest, "/") {
			return true
		}
	}
	l := c.l
	if l.mode() == "jar" {
		return !strings.HasPrefix(l.Jar, "/")
	}
	if l.ClassPath == "" {
		return true
	}
	for _, e := range strings.Split(l.ClassPath, ":") {
		if !strings.HasPrefix(e, "/") {
			return true
		}
	}
	return false
}

// emitCommand rewrites ENTRYPOINT/CMD in the (single) shipped stage and
// adds the ENV lines before them.
func (c *conv) emitCommand(ep, cmd []string) {
	in, ed := c.in, c.p.Editor
	kw := func(k string) string { return convert.Keyword(in.File, k) }
	var envLines []string
	for _, kv := range c.env {
		envLines = append(envLines, kw("ENV")+" "+kv.Key+"="+convert.QuoteEnv(kv.Value))
	}
	rt := c.rt
	var lines []string
	lines = append(lines, envLines...)
	changed := len(envLines) > 0
	if ep != nil {
		if !convert.IsExec(rt.Entrypoint, ep) {
			changed = true
		}
		lines = append(lines, kw("ENTRYPOINT")+" "+convert.ExecForm(ep))
	} else if rt.Entrypoint != nil {
		changed = true
	}
	if cmd != nil {
		if !convert.IsExec(rt.Cmd, cmd) {
			changed = true
		}
		lines = append(lines, kw("CMD")+" "+convert.ExecForm(cmd))
	} else if rt.Cmd != nil {
		changed = true
	}
	if !changed {
		return
	}
	// Only the shipped stage's own ENTRYPOINT/CMD are edited; inherited
	// ones are overridden by the new lines.
	inTarget := func(ins *dockerfile.Instruction) *dockerfile.Instruction {
		if ins == nil || ins.Stage != in.Target {
			return nil
		}
		return ins
	}
	ed.ReplaceCommand(in.Target, inTarget(rt.Entrypoint), inTarget(rt.Cmd), strings.Join(lines, "\n"))
	c.noteCommand(ep, cmd)
}

// noteCommand explains the new command.
func (c *conv) noteCommand(ep, cmd []string) {
	p, l := c.p, c.l
	if l.Shell || (l.Entrypoint != nil && l.Entrypoint.Exec.Shell) || (l.Cmd != nil && l.Cmd.Exec.Shell) {
		p.Note(convert.Change, "the command is now in exec form: distroless has no /bin/sh")
	}
	if l.Wrapper != "" {
		p.Note(convert.Change, "%s is dropped: distroless does not have it, and the JVM handles SIGTERM as PID 1 (use `docker run --init` if child processes must be reaped)", l.Wrapper)
	}
	if ep == nil {
		if l.Entrypoint != nil && !l.PassArgs && !c.root.IsDistroless() {
			p.Note(convert.Change, "ENTRYPOINT is replaced by CMD [%q]: the distroless image's own ENTRYPOINT is `%s`", c.jar, c.imageEntrypoint())
		} else if !c.root.IsDistroless() || !convert.IsExec(l.Cmd, cmd) {
			p.Note(convert.Change, "CMD names only the jar (%s): the distroless image's ENTRYPOINT is `%s`", c.jar, c.imageEntrypoint())
		}
	} else if l.Java != "java" {
		p.Note(convert.Change, "the command runs java from PATH (%s in distroless) instead of %s", c.javaPath(), l.Java)
	}
	if len(l.Substituted) > 0 {
		p.Note(convert.Behavior, "the command used $%s; exec form does not expand variables, so the ENV value is written into the command and overriding %s at run time no longer changes it — have the application read it instead (Spring Boot reads environment variables itself)",
			strings.Join(l.Substituted, ", $"), strings.Join(l.Substituted, ", "))
	}
	if l.PassArgs && l.Shell {
		p.Note(convert.Change, "the ENTRYPOINT starts java directly and still receives `docker run` arguments, as the \"$@\" forwarding did")
	}
}

// noteSetcap explains what losing the JVM's file capability means.
func (c *conv) noteSetcap() {
	if c.runs.setcap == nil {
		return
	}
	c.p.Note(convert.Behavior, "line %d gave java the capability to bind ports below 1024; distroless files carry no capabilities, so as a non-root user the app can bind them only where the runtime allows unprivileged ports (Docker ≥ 20.10, containerd 2 — not CRI-O or rootless Podman): prefer a port ≥ 1024 such as 8080", c.runs.setcap.StartLine)
}

// noteRuns records what happens to RUNs whose effects distill cannot see.
func (c *conv) noteRuns() {
	for _, ins := range c.runs.other {
		c.p.Note(convert.Risk, "line %d (`%s`) ran in the original image; distill does not know what it changed, so nothing it produced is copied into the distroless stage unless listed above", ins.StartLine, truncate(oneLine(ins.Original), 60))
	}
}

// knownUser reports whether a --chown owner exists in distroless images.
func knownUser(owner string) bool {
	for _, part := range strings.Split(owner, ":") {
		switch {
		case part == "", part == "root", part == "nonroot", part == "nobody":
		case strings.Trim(part, "0123456789") == "":
		default:
			return false
		}
	}
	return true
}

// fromLine renders a FROM with a new image, keeping flags and the name.
func fromLine(in *convert.Input, from *dockerfile.Instruction, image string) string {
	parts := []string{convert.Keyword(in.File, "FROM")}
	parts = append(parts, from.Flags...)
	parts = append(parts, image)
	if from.From.Name != "" {
		parts = append(parts, convert.Keyword(in.File, "AS"), from.From.Name)
	}
	return strings.Join(parts, " ")
}

// split turns the shipped stage into a build stage and appends the
// distroless stage.
func (c *conv) split() (*convert.Result, error) {
	in, p := c.in, c.p
	if len(c.runs.removable) == len(in.Target.All(dockerfile.KindRun)) && len(c.runs.removable) > 0 && len(in.Chain) == 1 {
		for _, ins := range c.runs.removable {
			p.Editor.Delete(ins)
		}
	}
	c.applyRewrites()
	p.Split("")
	fs := p.FinalStage(c.image)
	fs.Env = append(append([]dockerfile.KeyValue(nil), c.rt.Env...), c.env...)
	copies, d := c.splitCopies()
	if d != nil {
		return d, nil
	}
	kw := convert.Keyword(in.File, "COPY")
	for _, cp := range copies {
		line := kw + " --from=" + p.BuilderRef
		if cp.Writable && in.Options.NonRoot {
			line += " --chown=" + c.uid()
		}
		dest := cp.Path
		if strings.ContainsAny(path.Base(dest), "*?[") {
			dest = path.Dir(dest) + "/"
			if dest == "//" {
				dest = "/"
			}
		}
		fs.Copies = append(fs.Copies, line+" "+cp.Path+" "+dest)
	}
	// VOLUME directories must exist in the build stage to be copied.
	var mk []string
	for _, v := range c.rt.Volumes {
		v = path.Clean(v)
		if !in.Options.NonRoot || strings.Contains(v, "$") || c.createdInChain(v) || slices.Contains(c.runs.writable, v) || slices.Contains(in.Catalog.Distroless.WritableDirs, v) {
			continue
		}
		mk = append(mk, v)
	}
	if len(mk) > 0 {
		p.Editor.InsertAfter(in.Target.Instructions[len(in.Target.Instructions)-1], convert.Keyword(in.File, "RUN")+" mkdir -p "+strings.Join(mk, " "))
	}
	if hc := c.rt.Healthcheck; hc != nil {
		line, note := in.ConvertHealthcheck(hc, convert.HealthProbe{}, nil)
		fs.Healthcheck = line
		if note != nil {
			p.Notes = append(p.Notes, *note)
		}
	}
	ep, cmd := c.command(true)
	if ep != nil {
		fs.Entrypoint = ep
	}
	fs.Cmd = cmd
	var what []string
	for _, cp := range copies {
		what = append(what, cp.Path)
	}
	why := c.splitReason()
	p.Note(convert.Change, "the original shipped stage stays as build stage %s (%s); the distroless stage copies from it only %s", p.BuilderRef, why, strings.Join(what, ", "))
	c.noteRuns()
	c.noteSetcap()
	c.noteCommand(ep, cmd)
	return p.Finish(fs)
}

// splitReason says why the shipped stage could not simply move onto the
// distroless image.
func (c *conv) splitReason() string {
	in := c.in
	switch {
	case in.HasCommand(in.Chain, "mvn", "mvnw", "gradle", "gradlew", "javac", "jar", "kotlinc"):
		return "it builds the application"
	case len(c.runs.kept) > 0:
		return fmt.Sprintf("its RUN step on line %d needs a shell", c.runs.kept[0].StartLine)
	case len(in.Chain) > 1:
		return "it is built on another stage"
	case c.rt.Shell != nil:
		return "it sets SHELL"
	}
	for _, ins := range in.Target.Instructions {
		if ins.Kind == dockerfile.KindOnbuild {
			return "it has ONBUILD triggers"
		}
	}
	if len(c.rt.Volumes) > 0 {
		return fmt.Sprintf("VOLUME %s must exist owned by the nonroot user, which only a build stage can prepare", strings.Join(c.rt.Volumes, " "))
	}
	return "it cannot run on an image without a shell"
}

// splitCopies lists what the distroless stage copies from the build stage
// (the original image): the jar or class path, the files the original
// COPY'd in when it only assembled a runtime, files the JVM options name,
// and writable directories.
func (c *conv) splitCopies() ([]convert.CopySpec, *convert.Result) {
	in, p, l := c.in, c.p, c.l
	var paths []string
	add := func(x string) {
		if x != "" && x != "/" {
			paths = append(paths, path.Clean(x))
		}
	}
	builds := c.origin != nil && c.origin.Built || c.in.HasCommand(in.Chain, "mvn", "mvnw", "gradle", "gradlew", "javac", "jar", "kotlinc")
	switch {
	case l.mode() == "jar" && !builds:
		// The shipped stage only assembled a runtime: carry over
		// everything it copied in.
		for _, st := range in.Chain {
			for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
				dests := c.copyDests(st, ins)
				if dests == nil {
					return nil, convert.Declinef([]string{"write the COPY destination as a literal path"}, "line %d copies to %s, a path distill cannot resolve", ins.StartLine, ins.Copy.Dest)
				}
				for _, d := range dests {
					if d == "/" {
						return nil, convert.Declinef([]string{"copy into a directory of its own (e.g. /app) instead of /"}, "line %d copies a directory's contents into /, so distill cannot tell which files to carry over", ins.StartLine)
					}
					add(d)
				}
			}
		}
	case l.mode() == "jar":
		if c.proj != nil && c.proj.Known && slices.Contains(c.proj.runnable(), path.Base(c.jar)) || c.builtByJarTool() {
			add(c.jar)
		} else {
			dir := path.Dir(c.jar)
			if dir == "/" || dir == path.Clean(c.origWorkdir) && c.copiesWholeContext() {
				add(c.jar)
				p.Note(convert.Risk, "distill cannot tell whether %s is self-contained; only the jar is copied — if it lists other jars in its manifest Class-Path, copy them too", c.jar)
			} else {
				add(dir)
				p.Note(convert.Change, "the whole %s directory is copied because distill cannot tell whether %s is self-contained (its manifest may reference jars next to it); copy only the jar if it is a fat jar", dir, path.Base(c.jar))
			}
		}
		c.configFiles(add)
	default:
		cp := l.ClassPath
		if cp == "" {
			cp = "."
		}
		for _, e := range strings.Split(cp, ":") {
			e = strings.TrimSuffix(strings.TrimSuffix(e, "*"), "/")
			if e == "" {
				e = "."
			}
			abs := convert.Absolute(c.origWorkdir, e)
			if abs == "/" {
				return nil, convert.Declinef([]string{"set a WORKDIR for the application and put its classes there"}, "the class path includes / (the working directory), so distill cannot tell which files the application needs")
			}
			add(abs)
		}
		c.configFiles(add)
	}
	// Files the JVM options name (agents, configuration).
	for _, f := range c.referencedFiles() {
		if c.createdInChain(f) {
			add(strings.TrimPrefix(f, "agent:"))
		} else if strings.HasPrefix(f, "agent:") {
			return nil, convert.Declinef([]string{"COPY the agent jar into the image explicitly and run `distill fix` again"},
				"the JVM loads the agent %s, and distill cannot tell where it comes from", strings.TrimPrefix(f, "agent:"))
		}
	}
	// Writable directories, owned by the nonroot user.
	var writable []string
	for _, w := range c.runs.writable {
		if w != "" && w != "/" {
			writable = append(writable, path.Clean(w))
		}
	}
	for _, v := range c.rt.Volumes {
		if !strings.Contains(v, "$") && !slices.Contains(in.Catalog.Distroless.WritableDirs, path.Clean(v)) {
			writable = append(writable, path.Clean(v))
		}
	}
	return convert.MergeCopies(paths, writable), nil
}

// copyDests are the paths a COPY/ADD writes in the original image: the
// destination, or for a directory destination each copied file (a glob
// stays a glob); nil when a path cannot be resolved.
func (c *conv) copyDests(st *dockerfile.Stage, ins *dockerfile.Instruction) []string {
	dst := convert.Absolute(c.workdirAt(st, ins), ins.Copy.Dest)
	if strings.Contains(dst, "$") {
		return nil
	}
	if !copyToDir(ins) {
		return []string{dst}
	}
	env := convert.EnvAt(st, ins)
	var out []string
	for _, raw := range ins.Copy.Sources {
		src := expandVars(raw, env)
		if strings.Contains(src, "$") {
			return nil
		}
		if looksLikeDir(src) {
			out = append(out, dst) // the directory's contents merge into dst
			continue
		}
		out = append(out, path.Join(dst, path.Base(src)))
	}
	for _, h := range ins.Copy.Heredocs {
		out = append(out, path.Join(dst, h.Name))
	}
	return out
}

// builtByJarTool reports whether the jar is written by `jar cfe` (no
// Class-Path: self-contained).
func (c *conv) builtByJarTool() bool {
	for _, rc := range c.in.Commands(c.in.Chain...) {
		if !rc.Is("jar") || len(rc.Args) < 2 {
			continue
		}
		mode := strings.TrimPrefix(rc.Args[0], "-")
		if strings.Contains(mode, "c") && strings.Contains(mode, "f") && !strings.Contains(mode, "m") {
			if convert.Absolute(c.in.WorkdirAt(rc.Instruction.Stage, rc.Instruction), rc.Args[1]) == c.jar {
				return true
			}
		}
	}
	return false
}

// copiesWholeContext reports whether the chain copies the whole build
// context into the working directory.
func (c *conv) copiesWholeContext() bool {
	for _, st := range c.in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From == "" && len(ins.Copy.Sources) == 1 && path.Clean(ins.Copy.Sources[0]) == "." {
				return true
			}
		}
	}
	return false
}

// configFiles adds the configuration a JVM application reads from its
// working directory (Spring Boot: ./config/, ./application.*) when the
// original copied the source tree there.
func (c *conv) configFiles(add func(string)) {
	if !c.copiesWholeContext() {
		return
	}
	if !c.in.Context.Known() {
		c.p.Note(convert.Risk, "the original image contained the whole source tree; the new image contains only what runs. If the application reads files from its working directory at run time (config/, application.yml), add COPY lines for them")
		return
	}
	root := c.contextRoot(c.in.Target)
	if root == "" || path.Clean(root) != path.Clean(c.origWorkdir) {
		return
	}
	for _, f := range c.in.Context.Paths {
		dir, _, nested := strings.Cut(f, "/")
		switch {
		case nested && dir == "config":
			add(path.Join(root, "config"))
			c.p.Note(convert.Change, "config/ is copied too: Spring Boot and many JVM applications read ./config/ at run time")
			return
		case !nested && (strings.HasPrefix(f, "application.") || strings.HasPrefix(f, "application-")) && (strings.HasSuffix(f, ".yml") || strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".properties")):
			add(path.Join(root, f))
			c.p.Note(convert.Change, "%s is copied too: Spring Boot reads it from the working directory", f)
		}
	}
}

// referencedFiles lists absolute paths the JVM options name: agents
// ("agent:" prefix, they must exist) and other files.
func (c *conv) referencedFiles() []string {
	var opts []string
	opts = append(opts, c.l.Options...)
	env := envLookup(c.rt)
	for _, v := range append(append([]string(nil), c.l.OptionVars...), "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS") {
		if val, ok := env(v); ok {
			opts = append(opts, strings.Fields(val)...)
		}
	}
	var out []string
	for _, o := range opts {
		switch {
		case strings.HasPrefix(o, "-javaagent:"), strings.HasPrefix(o, "-agentpath:"):
			f := strings.SplitN(strings.SplitN(o, ":", 2)[1], "=", 2)[0]
			if strings.HasPrefix(f, "/") {
				out = append(out, "agent:"+f)
			}
		}
	}
	return out
}

// createdInChain reports whether a file is created in the shipped chain
// (COPY/ADD destination, download); agents carry an "agent:" prefix.
func (c *conv) createdInChain(f string) bool {
	f = strings.TrimPrefix(f, "agent:")
	for _, x := range c.runs.created {
		if x == f {
			return true
		}
	}
	for _, st := range c.in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			for _, d := range c.copyDests(st, ins) {
				if d == f || strings.HasPrefix(f, d+"/") {
					return true
				}
			}
		}
	}
	return false
}

// oneLine renders an instruction's text on one line for notes: line
// continuations and runs of blanks become single spaces.
func oneLine(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		if w != "\\" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// noteDependents warns about stages built FROM a stage that now starts
// from an image without a shell, when they run RUN steps.
func noteDependents(in *convert.Input, p *convert.Plan, base *dockerfile.Stage, image string) {
	for _, st := range in.File.Stages {
		if st == base || len(st.All(dockerfile.KindRun)) == 0 {
			continue
		}
		seen := map[*dockerfile.Stage]bool{}
		for b := st.BaseStage; b != nil && !seen[b]; b = b.BaseStage {
			seen[b] = true
			if b == base {
				p.Note(convert.Risk, "%s is built FROM %s, which now starts from %s: its RUN steps have no shell there — build it FROM a stage with a shell", st.Describe(), base.Describe(), image)
				break
			}
		}
	}
}

// commandWords returns every word of the command the image runs.
func commandWords(c *conv) []string {
	ep, cmd := c.command(true)
	return append(append([]string(nil), ep...), cmd...)
}
