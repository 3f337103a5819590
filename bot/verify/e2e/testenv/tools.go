package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Tools are the BuildKit binaries built from the tools module.
type Tools struct {
	Buildkitd string
	Buildctl  string
}

// DefaultToolsDir is the tools module (bot/verify/e2e/tools) next to this
// package's source. It has its own go.mod so that buildkitd's large
// dependency graph stays out of the main module's build.
func DefaultToolsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "tools")
}

// EnsureTools builds buildkitd and buildctl into cacheDir/bin unless a
// previous build from the same go.mod, go.sum and Go version is there.
// `go install pkg@version` cannot be used: buildkit's go.mod has exclude
// directives, which the go command refuses for installs by version.
func EnsureTools(ctx context.Context, cacheDir, toolsDir string) (Tools, error) {
	binDir := filepath.Join(cacheDir, "bin")
	tools := Tools{Buildkitd: filepath.Join(binDir, "buildkitd"), Buildctl: filepath.Join(binDir, "buildctl")}
	h := sha256.New()
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(toolsDir, f))
		if err != nil {
			return tools, fmt.Errorf("reading tools module: %w", err)
		}
		h.Write(b)
	}
	goVersion, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return tools, fmt.Errorf("go env GOVERSION: %w", err)
	}
	h.Write(goVersion)
	stamp := hex.EncodeToString(h.Sum(nil))
	stampFile := filepath.Join(binDir, "stamp")
	if b, err := os.ReadFile(stampFile); err == nil && string(b) == stamp {
		if _, err1 := os.Stat(tools.Buildkitd); err1 == nil {
			if _, err2 := os.Stat(tools.Buildctl); err2 == nil {
				return tools, nil
			}
		}
	}
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return tools, err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", binDir+string(os.PathSeparator),
		"github.com/moby/buildkit/cmd/buildkitd", "github.com/moby/buildkit/cmd/buildctl")
	cmd.Dir = toolsDir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return tools, fmt.Errorf("building buildkitd/buildctl in %s: %w\n%s", toolsDir, err, out)
	}
	if err := os.WriteFile(stampFile, []byte(stamp), 0o644); err != nil {
		return tools, err
	}
	return tools, nil
}
