package node

import (
	"fmt"
	"testing"

	"github.com/distill-bot/distill/analyzer/convert"
)

func TestParseScript(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src  string
		ok   bool
		env  string
		args string
	}{
		{"node dist/main.js", true, "[]", "[node dist/main.js]"},
		{"NODE_ENV=production node --max-old-space-size=512 build/index.js", true, "[{NODE_ENV production false}]", "[node --max-old-space-size=512 build/index.js]"},
		{`NODE_ENV='production' DEBUG="app:*" node server.js`, true, "[{NODE_ENV production false} {DEBUG app:* false}]", "[node server.js]"},
		{"next start -p 3000", true, "[]", "[next start -p 3000]"},
		{"npm run build && node dist/index.js", false, "", ""},
		{"node dist/index.js | pino-pretty", false, "", ""},
		{"node dist/index.js > out.log", false, "", ""},
		{"node dist/index.js --port $PORT", false, "", ""},
		{"node dist/*.js", false, "", ""},
		{"node a.js; node b.js", false, "", ""},
		{"node a.js &", false, "", ""},
		{"X=$(date) node a.js", false, "", ""},
	}
	for _, tc := range cases {
		sc, ok := parseScript(tc.src)
		if ok != tc.ok {
			t.Errorf("parseScript(%q) ok = %v, want %v", tc.src, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := fmt.Sprint(sc.Env); got != tc.env {
			t.Errorf("parseScript(%q) env = %s, want %s", tc.src, got, tc.env)
		}
		if got := fmt.Sprint(sc.Words); got != tc.args {
			t.Errorf("parseScript(%q) words = %s, want %s", tc.src, got, tc.args)
		}
	}
}

func testConv() *conv {
	return &conv{in: &convert.Input{Catalog: convert.Catalog}}
}

func TestParseNodeTag(t *testing.T) {
	t.Parallel()
	c := testConv()
	cases := []struct {
		tag                  string
		ok                   bool
		major                string
		alpine, slim         bool
		debian               int
		alias, fullVersionIs string
	}{
		{"22", true, "22", false, false, 0, "", "22"},
		{"22.3.0-bookworm-slim", true, "22", false, true, 12, "", "22.3.0"},
		{"20-alpine3.19", true, "20", true, false, 0, "", "20"},
		{"lts-slim", true, "24", false, true, 0, "lts", ""},
		{"", true, "26", false, false, 0, "latest", ""},
		{"alpine", true, "26", true, false, 0, "latest", ""},
		{"jod-alpine", true, "22", true, false, 0, "jod", ""},
		{"26-trixie", true, "26", false, false, 13, "", "26"},
		{"22-windowsservercore", false, "22", false, false, 0, "", "22"},
	}
	for _, tc := range cases {
		got, ok := c.parseNodeTag(tc.tag)
		if ok != tc.ok {
			t.Errorf("parseNodeTag(%q) ok = %v", tc.tag, ok)
			continue
		}
		if !ok {
			continue
		}
		if got.Major != tc.major || got.Alpine != tc.alpine || got.Slim != tc.slim || got.Debian != tc.debian || got.Alias != tc.alias || got.Version != tc.fullVersionIs {
			t.Errorf("parseNodeTag(%q) = %+v", tc.tag, got)
		}
	}
}

func TestStripInit(t *testing.T) {
	t.Parallel()
	c := testConv()
	cases := []struct{ in, rest, init string }{
		{"[tini --]", "[]", "tini"},
		{"[/sbin/tini -s -- node x.js]", "[node x.js]", "tini"},
		{"[dumb-init node x.js]", "[node x.js]", "dumb-init"},
		{"[dumb-init --rewrite 15:2 -- node x.js]", "[node x.js]", "dumb-init"},
		{"[node x.js]", "[node x.js]", ""},
	}
	for _, tc := range cases {
		words := splitList(tc.in)
		rest, init := c.stripInit(words)
		if fmt.Sprint(rest) != tc.rest || init != tc.init {
			t.Errorf("stripInit(%s) = %v, %q; want %s, %q", tc.in, rest, init, tc.rest, tc.init)
		}
	}
}

func splitList(s string) []string {
	s = s[1 : len(s)-1]
	var out []string
	field := ""
	for _, r := range s {
		if r == ' ' {
			if field != "" {
				out = append(out, field)
			}
			field = ""
			continue
		}
		field += string(r)
	}
	if field != "" {
		out = append(out, field)
	}
	return out
}

func TestCopyMatch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src, dst  string
		dirDest   bool
		imagePath string
		want      string
		ok        bool
	}{
		{".", "/app", true, "/app/package.json", "package.json", true},
		{".", "/app", true, "/app/apps/api/package.json", "apps/api/package.json", true},
		{"package*.json", "/app", true, "/app/package.json", "package.json", true},
		{"package*.json", "/app", true, "/app/src/package.json", "", false},
		{"services/api/package.json", "/srv", true, "/srv/package.json", "services/api/package.json", true},
		{"services/api", "/srv/api", false, "/srv/api/package.json", "services/api/package.json", true},
		{"package.json", "/app/package.json", false, "/app/package.json", "package.json", true},
		{"yarn.lock", "/app", true, "/app/package.json", "", false},
		{"services/api", "/srv", true, "/srv/package.json", "services/api/package.json", true},
		{"services/api", "/srv", true, "/srv/api/package.json", "services/api/api/package.json", true},
	}
	for _, tc := range cases {
		got, ok := copyMatch(tc.src, tc.dst, tc.dirDest, tc.imagePath)
		if got != tc.want || ok != tc.ok {
			t.Errorf("copyMatch(%q, %q, %v, %q) = %q %v, want %q %v", tc.src, tc.dst, tc.dirDest, tc.imagePath, got, ok, tc.want, tc.ok)
		}
	}
}

func TestApkPackagesAndPackageName(t *testing.T) {
	t.Parallel()
	if got := fmt.Sprint(apkPackages([]string{"add", "--no-cache", "--virtual", ".gyp", "python3", "make", "g++"})); got != "[python3 make g++]" {
		t.Errorf("apkPackages = %s", got)
	}
	if got := apkPackages([]string{"del", ".gyp"}); got != nil {
		t.Errorf("apk del packages = %v", got)
	}
	for in, want := range map[string]string{"express@4": "express", "@scope/pkg@1.2.3": "@scope/pkg", "@scope/pkg": "@scope/pkg", "canvas": "canvas"} {
		if got := packageName(in); got != want {
			t.Errorf("packageName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBinPath(t *testing.T) {
	t.Parallel()
	p := parsePkgJSON("node_modules/next/package.json", []byte(`{"name": "next", "bin": {"next": "./dist/bin/next"}}`))
	if got, ok := p.binPath("next"); !ok || got != "dist/bin/next" {
		t.Errorf("binPath(next) = %q %v", got, ok)
	}
	p = parsePkgJSON("node_modules/serve/package.json", []byte(`{"name": "serve", "bin": "build/main.js"}`))
	if got, ok := p.binPath("serve"); !ok || got != "build/main.js" {
		t.Errorf("binPath(serve) = %q %v", got, ok)
	}
	if _, ok := p.binPath("other"); ok {
		t.Errorf("binPath(other) found")
	}
}
