package rules

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// SecretInArgOrEnv reports secret values written into ARG defaults and ENV
// values. BuildKit's SecretsUsedInArgOrEnv looks at names only; this rule
// looks at the values, so it supersedes BuildKit's finding on the same line.
var SecretInArgOrEnv = &analysis.Rule{
	Name:       "SecretInArgOrEnv",
	Summary:    "A secret value (token, key, password) is written into an ARG default or ENV value.",
	Doc:        mustDoc("SecretInArgOrEnv"),
	URL:        ruleURL("SecretInArgOrEnv"),
	Severity:   analysis.Error,
	Category:   analysis.Hygiene,
	Supersedes: []string{"SecretsUsedInArgOrEnv"},
	Run:        runSecretInArgOrEnv,
}

// secretPattern is a well-known credential format.
type secretPattern struct {
	what   string
	re     *regexp.Regexp
	prefix int // characters that may be shown (the format's fixed prefix)
}

var secretPatterns = []secretPattern{
	{"an AWS access key id", regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`), 4},
	{"a GitHub token", regexp.MustCompile(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b`), 4},
	{"a GitHub fine-grained token", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{22,}\b`), 11},
	{"a GitLab token", regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`), 6},
	{"a Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`), 5},
	{"a Slack webhook URL", regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+`), 30},
	{"an npm token", regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`), 4},
	{"a PyPI token", regexp.MustCompile(`\bpypi-[A-Za-z0-9_-]{50,}\b`), 5},
	{"a Stripe secret key", regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{20,}\b`), 8},
	{"a Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), 4},
	{"a JSON Web Token", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}`), 3},
	{"a private key", regexp.MustCompile(`-----BEGIN[A-Z ]*PRIVATE KEY( BLOCK)?-----`), 10},
}

// credentialURL matches scheme://user:password@host; the password must be
// a literal, not a variable.
var credentialURL = regexp.MustCompile(`\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s:@]+):([^/\s@]+)@`)

// placeholderPasswords are values in URLs that are documentation, not
// secrets.
var placeholderPasswords = map[string]bool{
	"password": true, "pass": true, "passwd": true, "secret": true, "changeme": true, "example": true,
	"xxx": true, "xxxx": true, "***": true, "****": true, "redacted": true, "pwd": true, "token": true,
}

// secretName matches names that hold secrets (like BuildKit's check), so
// that a random-looking value under such a name is reported.
var secretName = regexp.MustCompile(`(?i)(?:^|_)(?:api_?key|apikey|key|token|password|passwd|pass|pwd|secret|credentials?|auth|private)(?:_|$)`)

// notSecretName matches names whose values are public identifiers even
// when they look random: key ids, fingerprints, checksums.
var notSecretName = regexp.MustCompile(`(?i)(?:^|_)(?:public|pub|gpg|pgp|fingerprint|sha\d*|sha256sum|checksum|hash|digest|id|version|file|path|dir|url|name|user|username)(?:_|$)`)

func runSecretInArgOrEnv(p *analysis.Pass) {
	// The whole file, every stage, reachable or not: the value is in the
	// repository either way, and it must be revoked.
	for _, in := range p.File.Instructions {
		check := in
		if in.Kind == dockerfile.KindOnbuild && in.Onbuild != nil {
			check = in.Onbuild
		}
		var found []string
		for _, kv := range secretValues(check) {
			if what, shown, ok := detectSecret(kv[0], kv[1]); ok {
				found = append(found, fmt.Sprintf("%s holds %s (%s)", kv[0], what, shown))
			}
		}
		if len(found) == 0 {
			continue
		}
		where := "ARG defaults are committed with the Dockerfile and recorded in the build's metadata and provenance"
		if check.Kind == dockerfile.KindEnv {
			where = "ENV values are committed with the Dockerfile and stored in the image configuration, where anyone who can pull the image reads them with docker inspect"
			if in.Stage != nil && !p.InChain(in.Stage) {
				where = "ENV values are committed with the Dockerfile, and a build stage's environment is recorded in its build metadata"
			}
		}
		p.Reportf(analysis.SpanOf(in), "%s %s: %s; revoke it, remove the value, and pass it at build time with RUN --mount=type=secret,id=… (docker build --secret) so it never reaches the file or the image",
			check.Kind, strings.Join(found, "; "), where)
	}
}

// secretValues returns the name/value pairs an ARG or ENV sets.
func secretValues(in *dockerfile.Instruction) [][2]string {
	var out [][2]string
	switch {
	case in.Kind == dockerfile.KindArg && in.Arg != nil:
		for _, d := range in.Arg.Defs {
			if d.Default != nil {
				out = append(out, [2]string{d.Name, *d.Default})
			}
		}
	case in.Kind == dockerfile.KindEnv && in.KeyValues != nil:
		for _, kv := range in.KeyValues.Pairs {
			out = append(out, [2]string{kv.Key, kv.Value})
		}
	}
	return out
}

// detectSecret decides whether value is a secret and returns what it looks
// like and a redacted form that never shows more than a fixed prefix.
func detectSecret(name, value string) (what, shown string, ok bool) {
	if strings.TrimSpace(value) == "" {
		return "", "", false
	}
	for _, sp := range secretPatterns {
		if loc := sp.re.FindStringIndex(value); loc != nil {
			m := value[loc[0]:loc[1]]
			return sp.what, redact(m, sp.prefix), true
		}
	}
	for _, m := range credentialURL.FindAllStringSubmatch(value, -1) {
		pw := m[3]
		if strings.ContainsAny(pw, "$<>{}") || placeholderPasswords[strings.ToLower(pw)] {
			continue
		}
		return "a password in a URL", m[1] + m[2] + ":****@…", true
	}
	if secretName.MatchString(name) && !notSecretName.MatchString(name) && randomLooking(value) {
		return "a secret-looking value", redact(value, 2), true
	}
	return "", "", false
}

// randomLooking reports whether a value looks like a generated secret: at
// least 16 characters without spaces or variables, letters and digits
// mixed, and high character entropy.
func randomLooking(v string) bool {
	if len(v) < 16 || strings.ContainsAny(v, " \t$") || strings.Contains(v, "://") || strings.HasPrefix(v, "/") || strings.HasPrefix(v, ".") || strings.HasPrefix(v, "~") {
		return false // empty-ish, a variable, a URL or a path
	}
	var letters, digits bool
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letters = true
		}
	}
	return letters && digits && entropy(v) >= 3.5
}

// entropy returns the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	var h float64
	for _, c := range counts {
		q := float64(c) / float64(n)
		h -= q * math.Log2(q)
	}
	return h
}

// redact shows at most keep characters (and never more than a quarter of
// the value) followed by an ellipsis.
func redact(s string, keep int) string {
	r := []rune(s)
	if keep > len(r)/4 {
		keep = len(r) / 4
	}
	return string(r[:keep]) + "…"
}
