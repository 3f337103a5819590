package dockerfile

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/moby/buildkit/client/llb/sourceresolver"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestOfflineResolverAnswersAndCaches(t *testing.T) {
	t.Parallel()
	env := func(ref ImageRef) ([]string, bool) {
		if ref.Repository == "library/golang" {
			return []string{"GOPATH=/go"}, true
		}
		return nil, false
	}
	r := &offlineResolver{env: env}
	arm := &ocispecs.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	for _, tc := range []struct {
		ref      string
		platform *ocispecs.Platform
		wantEnv  string
		wantArch string
	}{
		{"golang:1.26", nil, "GOPATH=/go", "amd64"},
		{"golang:1.25", nil, "GOPATH=/go", "amd64"},
		{"debian:trixie", nil, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "amd64"},
		{"golang:1.26", arm, "GOPATH=/go", "arm64"},
	} {
		opt := sourceresolver.Opt{ImageOpt: &sourceresolver.ResolveImageOpt{Platform: tc.platform}}
		_, _, dt, err := r.ResolveImageConfig(context.Background(), tc.ref, opt)
		if err != nil {
			t.Fatal(err)
		}
		var img ocispecs.Image
		if err := json.Unmarshal(dt, &img); err != nil {
			t.Fatal(err)
		}
		if len(img.Config.Env) != 1 || img.Config.Env[0] != tc.wantEnv || img.Architecture != tc.wantArch || len(img.RootFS.DiffIDs) != 1 {
			t.Errorf("%s on %v: %+v", tc.ref, tc.platform, img)
		}
	}
	if len(r.cache) != 3 {
		t.Errorf("cache holds %d configurations, want 3 (golang amd64, default amd64, golang arm64)", len(r.cache))
	}
}
