package convert

import "testing"

func TestQuoteEnv(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"plain":                  "plain",
		"/venv/bin:$PATH":        "/venv/bin:$PATH",
		"a b":                    `"a b"`,
		`"a b"`:                  `"a b"`, // read from ENV A="a b": keep as written
		`'x y'`:                  `'x y'`,
		`"$PATH:/x"`:             `"$PATH:/x"`,
		`"escaped \" ok"`:        `"escaped \" ok"`,
		"-Xmx512m -Xss1m":        `"-Xmx512m -Xss1m"`,
		`"-Xmx512m -Xss1m"`:      `"-Xmx512m -Xss1m"`,
		`"a" "b"`:                `"\"a\" \"b\""`,
		`say "hi"`:               `"say \"hi\""`,
		"":                       `""`,
		`"unterminated`:          `"\"unterminated"`,
		`"ends with escape\"`:    `"\"ends with escape\\\""`,
		`"-Dx=\"quoted\" -Dy=1"`: `"-Dx=\"quoted\" -Dy=1"`,
	}
	for in, want := range cases {
		if got := QuoteEnv(in); got != want {
			t.Errorf("QuoteEnv(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEnvLiteral(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`"-Xmx512m -Xss1m"`:      "-Xmx512m -Xss1m",
		`'q r'`:                  "q r",
		"plain":                  "plain",
		`"-Dx=\"quoted\" -Dy=1"`: `-Dx="quoted" -Dy=1`,
		`"a" "b"`:                `"a" "b"`,
	}
	for in, want := range cases {
		if got := EnvLiteral(in); got != want {
			t.Errorf("EnvLiteral(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSelfCheckTarget(t *testing.T) {
	t.Parallel()
	text := "FROM maven:3 AS build\nRUN mvn package\n\nFROM gcr.io/distroless/java21-debian13:nonroot AS runtime\nRUN echo no shell\nCMD [\"/app.jar\"]\n\nFROM build AS test\nRUN mvn verify\n"
	if err := SelfCheck(text); err != nil {
		t.Errorf("the last stage is a build stage and passes: %v", err)
	}
	if err := SelfCheckTarget(text, "runtime"); err == nil {
		t.Error("a RUN in the distroless target stage must fail the self-check")
	}
	if err := SelfCheckTarget(text, "missing"); err == nil {
		t.Error("an unknown target must fail")
	}
}
