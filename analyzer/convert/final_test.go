package convert

import "testing"

func TestQuoteEnv(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":           "plain",
		"/venv/bin:$PATH": "/venv/bin:$PATH",
		"a b":             `"a b"`,
		`"a b"`:           `"a b"`, // read from ENV A="a b": keep as written
		`'x y'`:           `'x y'`,
		`"$PATH:/x"`:      `"$PATH:/x"`,
		`"a" "b"`:         `"\"a\" \"b\""`,
		`say "hi"`:        `"say \"hi\""`,
		`"escaped \" ok"`: `"escaped \" ok"`,
		"":                `""`,
	} {
		if got := QuoteEnv(in); got != want {
			t.Errorf("QuoteEnv(%q) = %s, want %s", in, got, want)
		}
	}
}
