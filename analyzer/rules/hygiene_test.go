package rules

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// check runs every rule over src and returns the findings, the way the
// engine does (the engine itself imports this package, so the test goes
// through the pass API directly).
func check(t *testing.T, src string) (*dockerfile.File, []*analysis.Finding) {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*analysis.Finding
	newPass := analysis.NewPass(f, f.Stages[len(f.Stages)-1], analysis.Options{}, &out)
	for _, r := range All() {
		r.Run(newPass(r))
	}
	return f, out
}

func TestSecretInArgOrEnvNeverPrintsTheSecret(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, value, what string }{
		{"GITHUB_TOKEN", "ghp_R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ng0Ab", "a GitHub token"},
		{"GH", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd", "a GitHub fine-grained token"},
		{"KEY_ID", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"},
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a secret-looking value"},
		{"DB", "mysql://root:Zq8wL2vNx4Rt@db/app", "a password in a URL"},
		{"API_TOKEN", "ÄÖÜ9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd", "a secret-looking value"},
	} {
		what, shown, ok := detectSecret(tc.name, tc.value)
		if !ok || what != tc.what {
			t.Errorf("%s=%s: got %q, %v; want %q", tc.name, tc.value, what, ok, tc.what)
			continue
		}
		visible := strings.TrimSuffix(strings.ReplaceAll(shown, "****", ""), "…")
		if len([]rune(visible)) > len([]rune(tc.value))/4+len("mysql://root:@") || strings.Contains(shown, tc.value[len(tc.value)/2:]) {
			t.Errorf("%s: redacted form %q shows too much", tc.name, shown)
		}
	}
	for _, tc := range [][2]string{
		{"GPG_KEY", "7169605F62C751356D054A26A821E680E5FA6305"},
		{"API_KEY", "changeme"},
		{"SECRET_KEY_BASE_DUMMY", "1"},
		{"PASSWORD_FILE", "/run/secrets/db_password"},
		{"DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app"},
		{"CACHE_URL", "redis://default:password@localhost:6379/0"},
		{"APP_TOKEN_TTL", "3600"},
		{"SIGNING_KEY_PATH", "./keys/signing-key-2026-01-01.pem"},
	} {
		if what, _, ok := detectSecret(tc[0], tc[1]); ok {
			t.Errorf("%s=%s reported as %s", tc[0], tc[1], what)
		}
	}
}

// BuildKit's name-based SecretsUsedInArgOrEnv must give way to the value
// check on the same line, and stay where only the name looks secret.
func TestSecretInArgOrEnvSupersedesBuildKit(t *testing.T) {
	t.Parallel()
	if got := SecretInArgOrEnv.Supersedes; len(got) != 1 || got[0] != "SecretsUsedInArgOrEnv" {
		t.Fatalf("Supersedes = %v", got)
	}
	_, fs := check(t, "FROM debian:trixie-slim\nENV API_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ng0Ab\nARG DB_PASSWORD\n")
	lines := map[string][]int{}
	for _, f := range fs {
		lines[f.Rule] = append(lines[f.Rule], f.StartLine)
	}
	if got := lines["SecretInArgOrEnv"]; len(got) != 1 || got[0] != 2 {
		t.Errorf("SecretInArgOrEnv lines = %v, want [2]", got)
	}
	// Both BuildKit findings are raw here; the engine drops the one on
	// line 2 (see analyzer.Run). Line 3 has no value, so only BuildKit
	// speaks there.
	if got := lines["SecretsUsedInArgOrEnv"]; len(got) != 2 {
		t.Errorf("SecretsUsedInArgOrEnv lines = %v, want [2 3] before de-duplication", got)
	}
}

// Fixes are line edits over lines without terminators; on a CRLF file they
// apply to File.Lines. Two fixes may touch the same line (both apt rules
// edit an apt-get line), so they are applied one finding at a time, as a
// reviewer accepting suggestions would, re-checking in between; the result
// must still parse and carry every fix.
func TestHygieneFixesOnCRLF(t *testing.T) {
	t.Parallel()
	src := "FROM debian:trixie-slim\r\nRUN apt-get update \\\r\n && apt-get install -y curl\r\nRUN pip install flask\r\nADD app /app\r\n"
	fixed := map[string]bool{}
	for round := 0; ; round++ {
		if round > 10 {
			t.Fatal("fixes do not converge")
		}
		f, fs := check(t, src)
		var fix *analysis.Finding
		for _, fd := range fs {
			if fd.Fix != nil && fd.Category == analysis.Hygiene {
				fix = fd
				break
			}
		}
		if fix == nil {
			break
		}
		fixed[fix.Rule] = true
		out, err := analysis.ApplyEdits(f.Lines, fix.Fix.Edits)
		if err != nil {
			t.Fatalf("%s: %v", fix.Rule, err)
		}
		src = strings.Join(out, "\r\n") + "\r\n"
	}
	for _, r := range []string{"AptCacheLeftInImage", "AptInstallRecommends", "PipCacheInImage", "AddInsteadOfCopy"} {
		if !fixed[r] {
			t.Errorf("no %s fix", r)
		}
	}
	want := "FROM debian:trixie-slim\r\n" +
		"RUN apt-get update \\\r\n" +
		" && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\r\n" +
		"RUN pip install --no-cache-dir flask\r\n" +
		"COPY app /app\r\n"
	if src != want {
		t.Errorf("fixed:\n%q\nwant:\n%q", src, want)
	}
}

func TestRunInsertionsRefusesToGuess(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		// apt-get and install on different lines
		"FROM debian\nRUN apt-get \\\n  install -y curl\n",
		// a commented-out install is skipped, but an install in a string is not a command
		"FROM debian\nRUN echo 'apt-get install x' && apt-get install -y curl\n",
	} {
		f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		in := f.Stages[0].Instructions[0]
		if e := runInsertions(in, aptInstallWord, 1, map[int]string{0: " --no-install-recommends"}); e != nil {
			t.Errorf("%q: got edits %+v, want none", src, e)
		}
	}
}

func TestCopiesDir(t *testing.T) {
	t.Parallel()
	in := func(srcs ...string) *dockerfile.Instruction {
		return &dockerfile.Instruction{Copy: &dockerfile.Copy{Sources: srcs}}
	}
	for _, tc := range []struct {
		srcs []string
		dir  string
		want bool
	}{
		{[]string{"/app/node_modules"}, "/app/node_modules", true},
		{[]string{"/app"}, "/app/node_modules", true},
		{[]string{"/"}, "/app/node_modules", true},
		{[]string{"app/"}, "/app/node_modules", true},
		{[]string{"/app/dist"}, "/app/node_modules", false},
		{[]string{"/app/node_modules/.prisma"}, "/app/node_modules", false},
		{[]string{"/usr/local/lib/python3.13/site-packages"}, pythonSystemSite, true},
		{[]string{"/usr/local/lib/libvips.so.42"}, pythonSystemSite, false},
	} {
		if got := copiesDir(in(tc.srcs...), tc.dir); got != tc.want {
			t.Errorf("copiesDir(%v, %s) = %v, want %v", tc.srcs, tc.dir, got, tc.want)
		}
	}
}
