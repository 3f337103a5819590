package verify

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// distrolessNode is nodejsNN-debian13's /nodejs/bin/node (a static test
// binary) with its ENTRYPOINT.
func distrolessNode(t *testing.T) *layer {
	return newLayer(t).dir("nodejs").dir("nodejs/bin").exe("nodejs/bin/node", staticBinary(t))
}

func nodeConfig(cmd ...string) v1.Config {
	return v1.Config{Entrypoint: []string{"/nodejs/bin/node"}, Cmd: cmd, WorkingDir: "/app"}
}

func TestNode(t *testing.T) {
	t.Parallel()
	pkg := `{"name": "web", "main": "server.js", "dependencies": {"express": "^4", "@scope/db": "1.0.0", "pg": "^8"}}`
	full := func() *layer {
		return newLayer(t).dir("app").text("app/server.js", "require('express')").text("app/package.json", pkg).
			text("app/node_modules/express/index.js", "").text("app/node_modules/@scope/db/index.js", "").
			text("app/node_modules/pg/index.js", "")
	}
	cases := []struct {
		name   string
		cfg    v1.Config
		files  *layer
		check  string
		status CheckStatus
		detail string
	}{
		{"script and modules present", nodeConfig("server.js"), full(), "node-modules", Pass,
			"/app/package.json: all 3 dependencies found in node_modules"},
		{"script found with an added extension", nodeConfig("server"), full(), "node-main", Pass,
			"script server resolves to /app/server.js"},
		{"directory main from package.json", nodeConfig("."), full(), "node-main", Pass,
			"script . resolves to /app/server.js"},
		{"script missing", nodeConfig("dist/main.js"), full(), "node-main", Fail,
			"script dist/main.js (relative to WORKDIR /app): none of /app/dist/main.js, /app/dist/main.js.js"},
		{"CMD repeats node under the node ENTRYPOINT", nodeConfig("node", "server.js"), full(), "node-main", Fail,
			"script node (relative to WORKDIR /app): none of /app/node, /app/node.js"},
		{"node options before the script", nodeConfig("--max-old-space-size=512", "-r", "dotenv/config", "server.js"), full(), "node-main", Pass,
			"resolves to /app/server.js"},
		{"no node_modules at all",
			nodeConfig("server.js"),
			newLayer(t).dir("app").text("app/server.js", "").text("app/package.json", pkg),
			"node-modules", Fail,
			"/app/package.json lists 3 dependencies (@scope/db, express, pg) but there is no node_modules in /app or above"},
		{"some dependencies missing",
			nodeConfig("server.js"),
			newLayer(t).dir("app").text("app/server.js", "").text("app/package.json", pkg).text("app/node_modules/express/index.js", ""),
			"node-modules", Fail,
			"/app/package.json lists 3 dependencies; missing from node_modules: @scope/db, pg"},
		{"dependencies found in a parent node_modules",
			nodeConfig("dist/main.js"),
			newLayer(t).dir("app").text("app/dist/main.js", "").text("app/package.json", `{"dependencies": {"pg": "8"}}`).text("app/node_modules/pg/package.json", "{}"),
			"node-modules", Pass,
			"all 1 dependency found"},
		{"inline code", nodeConfig("-e", "console.log(1)"), full(), "node-main", Pass, "runs inline code (-e)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			img := image(t, tc.cfg, distrolessNode(t), tc.files)
			checks := inspectImage(t, img, Expectation{Runtime: RuntimeNodeJS})
			wantCheck(t, checks, tc.check, tc.status, tc.detail)
			wantCheck(t, checks, "runtime", Pass, "the command runs Node.js")
		})
	}
}

func TestNodeOnPathIsNotDistroless(t *testing.T) {
	t.Parallel()
	// CMD ["node", "server.js"] with no ENTRYPOINT: node is not on PATH in
	// the distroless node images.
	img := image(t, v1.Config{Cmd: []string{"node", "server.js"}, WorkingDir: "/app"},
		distrolessNode(t), newLayer(t).text("app/server.js", ""))
	checks := inspectImage(t, img, Expectation{Runtime: RuntimeNodeJS})
	wantCheck(t, checks, "command", Fail, "CMD node not found on PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
	wantCheck(t, checks, "node-main", Pass, "/app/server.js")
}

// classBytes is the start of a class file of the given major version.
func classBytes(major uint16) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint32(b, 0xCAFEBABE)
	binary.BigEndian.PutUint16(b[6:], major)
	return b
}

func jar(t *testing.T, manifest string, classes map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if manifest != "" {
		w, err := zw.Create("META-INF/MANIFEST.MF")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(manifest)); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range classes {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// distrolessJava is java21-debian13's layout: the Temurin JRE, its release
// file, and /usr/bin/java linked to it.
func distrolessJava(t *testing.T) *layer {
	return newLayer(t).exe("usr/lib/jvm/temurin-21-jre-amd64/bin/java", staticBinary(t)).
		text("usr/lib/jvm/temurin-21-jre-amd64/release", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"21.0.12\"\n").
		dir("usr/bin").symlink("usr/bin/java", "/usr/lib/jvm/temurin-21-jre-amd64/bin/java")
}

func javaConfig(cmd ...string) v1.Config {
	return v1.Config{Entrypoint: []string{"/usr/bin/java", "-jar"}, Cmd: cmd, WorkingDir: "/app"}
}

func TestJava(t *testing.T) {
	t.Parallel()
	mf := "Manifest-Version: 1.0\r\nMain-Class: com.example.very.long.package.name.Appl\r\n ication\r\nCreated-By: test\r\n\r\nName: other\r\nMain-Class: wrong\r\n"
	good := jar(t, mf, map[string][]byte{"com/example/very/long/package/name/Application.class": classBytes(65)})
	cases := []struct {
		name   string
		cfg    v1.Config
		files  *layer
		check  string
		status CheckStatus
		detail string
	}{
		{"jar with Main-Class", javaConfig("app.jar"), newLayer(t).file("app/app.jar", 0o644, good), "java-jar", Pass,
			"jar /app/app.jar: Main-Class com.example.very.long.package.name.Application (/app/app.jar!/com/example/very/long/package/name/Application.class)"},
		{"class version within the runtime", javaConfig("app.jar"), newLayer(t).file("app/app.jar", 0o644, good), "java-version", Pass,
			"compiled for Java 21 (class file 65); the runtime is Java 21"},
		{"class compiled for a newer Java",
			javaConfig("app.jar"),
			newLayer(t).file("app/app.jar", 0o644, jar(t, "Main-Class: App\n", map[string][]byte{"App.class": classBytes(69)})),
			"java-version", Fail,
			"App is compiled for Java 25 (class file 69) but the runtime is Java 21"},
		{"jar without Main-Class",
			javaConfig("app.jar"),
			newLayer(t).file("app/app.jar", 0o644, jar(t, "Manifest-Version: 1.0\n", map[string][]byte{"App.class": classBytes(61)})),
			"java-jar", Fail,
			"jar /app/app.jar: META-INF/MANIFEST.MF has no Main-Class (java: no main manifest attribute)"},
		{"jar without a manifest",
			javaConfig("app.jar"),
			newLayer(t).file("app/app.jar", 0o644, jar(t, "", map[string][]byte{"App.class": classBytes(61)})),
			"java-jar", Fail,
			"jar /app/app.jar has no META-INF/MANIFEST.MF"},
		{"Main-Class not in the jar",
			javaConfig("app.jar"),
			newLayer(t).file("app/app.jar", 0o644, jar(t, "Main-Class: com.x.Main\n", nil)),
			"java-jar", Fail,
			"Main-Class com.x.Main, but com/x/Main.class is neither in the jar nor on its Class-Path"},
		{"Main-Class on the manifest Class-Path",
			javaConfig("app.jar"),
			newLayer(t).file("app/app.jar", 0o644, jar(t, "Main-Class: com.x.Main\nClass-Path: lib/core.jar\n", nil)).
				file("app/lib/core.jar", 0o644, jar(t, "Manifest-Version: 1.0\n", map[string][]byte{"com/x/Main.class": classBytes(61)})),
			"java-jar", Pass,
			"/app/lib/core.jar!/com/x/Main.class"},
		{"jar missing", javaConfig("target/app-1.0.jar"), newLayer(t).dir("app"), "java-jar", Fail,
			"jar target/app-1.0.jar (relative to WORKDIR /app): /app/target/app-1.0.jar: /app/target not in image (java: Unable to access jarfile)"},
		{"CMD repeats java -jar",
			javaConfig("java", "-jar", "app.jar"),
			newLayer(t).file("app/app.jar", 0o644, good),
			"java-jar", Fail,
			"jar java (relative to WORKDIR /app): /app/java: not in image"},
		{"not a zip", javaConfig("app.jar"), newLayer(t).text("app/app.jar", "plain text"), "java-jar", Fail,
			"/app/app.jar is not a zip archive"},
		{"main class on -cp",
			v1.Config{Entrypoint: []string{"java", "-cp", "classes:lib/*", "com.x.Main"}, WorkingDir: "/app"},
			newLayer(t).file("app/lib/a.jar", 0o644, jar(t, "", map[string][]byte{"com/x/Main.class": classBytes(61)})),
			"java-main", Pass,
			"main class com.x.Main is /app/lib/a.jar!/com/x/Main.class"},
		{"main class missing from -cp",
			v1.Config{Entrypoint: []string{"java", "-cp", "classes", "com.x.Main"}, WorkingDir: "/app"},
			newLayer(t).dir("app").dir("app/classes"),
			"java-main", Fail,
			"main class com.x.Main: com/x/Main.class not found on the class path classes (searched /app/classes)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			img := image(t, tc.cfg, distrolessJava(t), tc.files)
			checks := inspectImage(t, img, Expectation{Runtime: RuntimeJava})
			wantCheck(t, checks, tc.check, tc.status, tc.detail)
			wantCheck(t, checks, "runtime", Pass, "the command runs Java")
		})
	}
}
