package rust

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/shell"
)

func TestParseCargo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		line    string
		ok      bool
		profile string
		triples []string
		bins    []string
		install bool
	}{
		{"cargo build --release", true, "release", nil, nil, false},
		{"cargo +nightly build --release --target x86_64-unknown-linux-musl --bin a --bin=b", true, "release", []string{"x86_64-unknown-linux-musl"}, []string{"a", "b"}, false},
		{"cargo b -r", true, "release", nil, nil, false},
		{"cargo --locked build", true, "debug", nil, nil, false},
		{"cargo build --profile dist", true, "dist", nil, nil, false},
		{"cargo install --path . --root /out", true, "release", nil, nil, true},
		{"cargo auditable build --release", true, "release", nil, nil, false},
		{"cargo zigbuild --release --target x86_64-unknown-linux-gnu.2.17", true, "release", []string{"x86_64-unknown-linux-gnu.2.17"}, nil, false},
		{"cargo chef cook --release --recipe-path recipe.json", false, "", nil, nil, false},
		{"cargo fetch", false, "", nil, nil, false},
		{"cargo test --release", false, "", nil, nil, false},
	}
	for _, tc := range cases {
		s, err := shell.Parse(tc.line)
		if err != nil {
			t.Fatal(err)
		}
		b, ok := parseCargo(s.Commands[0])
		if ok != tc.ok {
			t.Errorf("%s: ok = %v", tc.line, ok)
			continue
		}
		if !ok {
			continue
		}
		if b.Profile != tc.profile || b.Install != tc.install || strings.Join(b.Triples, ",") != strings.Join(tc.triples, ",") || strings.Join(b.Bins, ",") != strings.Join(tc.bins, ",") {
			t.Errorf("%s: %+v", tc.line, b)
		}
	}
}
