package java

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// jrePackage recognises JRE/JDK packages installed with apt or apk:
// openjdk-17-jre-headless, openjdk17-jre, temurin-21-jdk,
// java-21-amazon-corretto-devel.
var jrePackage = regexp.MustCompile(`^(?:openjdk|temurin|zulu|java|msopenjdk)-?(\d+)(?:-|$)`)

// imageMajor returns the Java major an external image runs ("" when the
// image or its tag does not say), and whether the image is a Java image.
func imageMajor(c *catalog.Catalog, ref dockerfile.ImageRef) (string, bool) {
	if ref.IsDistroless() {
		dl := c.ParseDistroless(strings.TrimPrefix(ref.Repository, "distroless/"), ref.Tag)
		return distrolessMajor(dl)
	}
	im := c.LookupImage(ref.Name())
	if im == nil || (im.Kind != "java" && im.Kind != "java-server") {
		return "", false
	}
	return catalog.Major(im.LanguageVersion(ref.Tag)), true
}

// distrolessMajor returns the Java major of a distroless java image,
// including the frozen java:8/java:11 names.
func distrolessMajor(dl catalog.DistrolessRef) (string, bool) {
	switch {
	case dl.Image != nil && dl.Image.Runtime == "java":
		return dl.Image.Version, true
	case dl.Family == "java":
		// gcr.io/distroless/java:8 and :11; untagged was Java 11.
		if strings.HasPrefix(dl.Tag, "8") {
			return "8", true
		}
		return "11", true
	case strings.HasPrefix(dl.Family, "java") && dl.Family != "java-base":
		return strings.TrimPrefix(dl.Family, "java"), true
	}
	return "", false
}

// installedMajor returns the Java major of a JRE/JDK package installed in
// the given stages.
func installedMajor(in *convert.Input, stages []*dockerfile.Stage) string {
	for _, rc := range in.Commands(stages...) {
		s := in.Script(rc.Instruction)
		for _, ai := range s.AptInstalls() {
			for _, p := range ai.Packages {
				if m := jrePackage.FindStringSubmatch(p); m != nil {
					return m[1]
				}
			}
		}
		if rc.Is("apk") {
			for _, p := range rc.Positionals() {
				if m := jrePackage.FindStringSubmatch(p); m != nil {
					return m[1]
				}
			}
		}
	}
	return ""
}

// stageMajor returns the Java major a stage's root image (or its installed
// packages) provides.
func stageMajor(in *convert.Input, st *dockerfile.Stage) string {
	if m, _ := imageMajor(in.Catalog, st.RootBase()); m != "" {
		return m
	}
	return installedMajor(in, in.File.ImageChain(st))
}

// versionChoice is the outcome of the version policy.
type versionChoice struct {
	Major    string // the distroless Java major
	Original string // the major the image ran
	Upgraded bool
}

// choose applies distill's Java version policy (distroless.md §1.7, §3.3)
// to the major the original image ran.
func choose(in *convert.Input, original string) (*versionChoice, *convert.Result) {
	c := in.Catalog
	jre := func(m string) string { return catalog.Expand(c.Java.JREImage, map[string]string{"major": m}) }
	javaBase := in.DistrolessRef(c.DistrolessImage("java-base"))
	switch {
	case c.JavaAvailable(original):
		return &versionChoice{Major: original, Original: original}, nil
	case c.JavaDeclined(original):
		return nil, convert.Declinef([]string{
			fmt.Sprintf("keep Java %s on the official JRE image %s in a multi-stage build (build in a JDK image, copy only the jar)", original, jre(original)),
			fmt.Sprintf("Chainguard's %s (free tier: :latest only, which is a current JRE — test the app on it and pin by digest)", c.Java.ChainguardJRE),
			fmt.Sprintf("build a Java %s runtime with jlink in a JDK stage and copy it onto %s", original, javaBase),
			fmt.Sprintf("move the application to Java %s or later, then run `distill fix` again", c.Java.Available[0]),
		}, "the image runs Java %s, for which there is no maintained distroless image (the old java:%s images are frozen), and distill does not move Java %s applications to a newer JVM: they commonly break on one (removed APIs, strong encapsulation)", original, original, original)
	case c.JavaUpgradable(original):
		target := c.JavaUpgradeTarget(original)
		if target == "" {
			break
		}
		if !in.Options.AllowVersionChange {
			return nil, convert.Declinef([]string{
				fmt.Sprintf("allow version changes in the distill configuration to run it on %s", in.DistrolessRef(c.DistrolessImage("java"+target))),
				fmt.Sprintf("keep Java %s on %s in a multi-stage build", original, jre(original)),
			}, "the image runs Java %s, which has no distroless image, and version changes are disabled", original)
		}
		return &versionChoice{Major: target, Original: original, Upgraded: true}, nil
	}
	return nil, convert.Declinef([]string{
		fmt.Sprintf("build and run on a Java release with a distroless image (%s) and run `distill fix` again", strings.Join(c.Java.Available, ", ")),
		fmt.Sprintf("keep the official JRE image %s in a multi-stage build", jre(original)),
	}, "the image runs Java %s, which has no distroless image and which distill does not move to another release", original)
}

var javacRelease = regexp.MustCompile(`^(?:--release|-release|--target|-target)$`)

// javacTarget returns the bytecode target a `javac` (or kotlinc
// -jvm-target) command in the given stages compiles for.
func javacTarget(in *convert.Input, stages []*dockerfile.Stage) (string, string) {
	for _, rc := range in.Commands(stages...) {
		if !rc.Is("javac") {
			continue
		}
		for i, a := range rc.Args {
			if javacRelease.MatchString(a) && i+1 < len(rc.Args) {
				if m := javaMajor(rc.Args[i+1]); m != "" {
					return m, fmt.Sprintf("`javac %s %s` (line %d)", a, rc.Args[i+1], rc.Instruction.StartLine)
				}
			}
			if strings.HasPrefix(a, "--release=") {
				if m := javaMajor(strings.TrimPrefix(a, "--release=")); m != "" {
					return m, fmt.Sprintf("`javac %s` (line %d)", a, rc.Instruction.StartLine)
				}
			}
		}
	}
	return "", ""
}
