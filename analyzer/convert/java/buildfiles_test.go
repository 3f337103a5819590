package java

import (
	"os"
	"testing"
)

func TestParsePom(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../../testdata/convert/java/single-stage-java-opts/context/pom.xml")
	if err != nil {
		t.Fatal(err)
	}
	p := parsePom(b, "")
	if p == nil || !p.Known || p.Target != "21" || !p.SpringBoot {
		t.Fatalf("pom = %+v", p)
	}
	if got := archiveNames(p.match("*.jar")); got != "orders-service.jar" {
		t.Errorf("*.jar matches %q", got)
	}
}

func TestParsePomPlugins(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, pom, glob, want, target string
		known                         bool
	}{
		{"shade replaces the main jar", `<project><artifactId>a</artifactId><version>1</version>
			<properties><maven.compiler.target>1.8</maven.compiler.target></properties>
			<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId></plugin></plugins></build></project>`,
			"*.jar", "a-1.jar, original-a-1.jar", "8", true},
		{"shade attached", `<project><artifactId>a</artifactId><version>1</version>
			<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration>
			<shadedArtifactAttached>true</shadedArtifactAttached><shadedClassifierName>all</shadedClassifierName>
			</configuration></plugin></plugins></build></project>`,
			"*-all.jar", "a-1-all.jar", "", true},
		{"boot classifier", `<project><artifactId>svc</artifactId><version>2.0</version>
			<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId>
			<configuration><classifier>exec</classifier></configuration></plugin></plugins></build></project>`,
			"*.jar", "svc-2.0.jar, svc-2.0-exec.jar", "", true},
		{"war packaging", `<project><artifactId>web</artifactId><version>1</version><packaging>war</packaging></project>`,
			"*.war", "web-1.war", "", true},
		{"unresolved property", `<project><artifactId>a</artifactId><version>${revision}${changelist}</version></project>`,
			"*.jar", "a-${revision}${changelist}.jar", "", false},
		{"release in the compiler plugin", `<project><artifactId>a</artifactId><version>1</version>
			<build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId>
			<configuration><release>25</release></configuration></plugin></plugins></build></project>`,
			"*.jar", "a-1.jar", "25", true},
	}
	for _, tc := range cases {
		p := parsePom([]byte(tc.pom), "")
		if p == nil {
			t.Fatalf("%s: not parsed", tc.name)
		}
		if got := archiveNames(p.match(tc.glob)); got != tc.want || p.Known != tc.known || p.Target != tc.target {
			t.Errorf("%s: %s → %q known=%v target=%q, want %q %v %q", tc.name, tc.glob, got, p.Known, p.Target, tc.want, tc.known, tc.target)
		}
	}
	if parsePom([]byte("<settings/>"), "") != nil {
		t.Error("a non-pom parses")
	}
}

func TestParseGradle(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, build, props, project, want, target string
		known                                     bool
	}{
		{"boot 3 groovy", "plugins {\n id 'org.springframework.boot' version '3.3.5'\n}\nversion = '1.0.0'\nsourceCompatibility = '17'\n", "", "demo",
			"demo-1.0.0.jar, demo-1.0.0-plain.jar", "17", true},
		{"boot 2.4 had no plain jar", "plugins { id \"org.springframework.boot\" version \"2.4.13\" }\nversion \"0.1\"\n", "", "demo",
			"demo-0.1.jar", "", true},
		{"jar disabled, kotlin", "plugins { id(\"org.springframework.boot\") version \"3.4.0\" }\ntasks.jar { enabled = false }\nkotlin { jvmToolchain(21) }\n", "version=4.2\n", "svc",
			"svc-4.2.jar", "21", true},
		{"boot archive name", "plugins { id 'org.springframework.boot' version '3.4.0' }\nbootJar {\n  archiveFileName = 'app.jar'\n}\n// version = 'ignored'\n", "", "x",
			"app.jar, x-plain.jar", "", true},
		{"plain java, no version", "plugins { id 'java' }\njava { toolchain { languageVersion = JavaLanguageVersion.of(25) } }\n", "", "tool",
			"tool.jar", "25", true},
		{"shadow", "plugins { id 'java'\n id 'com.gradleup.shadow' version '8.3.0' }\nversion = '1'\n", "", "cli",
			"cli-1.jar, cli-1-all.jar", "", true},
		{"computed version", "plugins { id 'java' }\nversion = file('VERSION').text.trim()\n", "", "x",
			"x.jar", "", false},
		{"no project name", "plugins { id 'java' }\n", "", "",
			".jar", "", false},
		{"target over source", "plugins { id 'java' }\nsourceCompatibility = JavaVersion.VERSION_11\ntargetCompatibility = JavaVersion.VERSION_17\n", "", "x",
			"x.jar", "17", true},
	}
	for _, tc := range cases {
		p := parseGradle([]byte(tc.build), []byte(tc.props), tc.project, "")
		if got := archiveNames(p.Archives); got != tc.want || p.Known != tc.known || p.Target != tc.target {
			t.Errorf("%s: archives %q known=%v target=%q, want %q %v %q", tc.name, got, p.Known, p.Target, tc.want, tc.known, tc.target)
		}
	}
	name, mods := gradleSettings([]byte("rootProject.name = \"shop\"\ninclude(\"api\", \"core\")\ninclude ':tools:cli'\n"))
	if name != "shop" || archiveNamesOf(mods) != "api core tools/cli" {
		t.Errorf("settings: %q %q", name, mods)
	}
}

func archiveNamesOf(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestJavaMajor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"1.8": "8", "8": "8", "17": "17", "JavaVersion.VERSION_21": "21", "VERSION_1_8": "8", "'11'": "11", "${java.version}": "", "latest": ""} {
		if got := javaMajor(in); got != want {
			t.Errorf("javaMajor(%q) = %q, want %q", in, got, want)
		}
	}
}
