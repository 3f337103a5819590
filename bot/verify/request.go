package verify

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Request is one verification: build the original Dockerfile, build the
// converted one, compare and inspect.
type Request struct {
	// ContextDir is the build context on disk, already extracted safely (see
	// ExtractTarball). It is sent to BuildKit as is; its size and file count
	// are checked against Options.ContextLimits first.
	ContextDir string
	// Original is the Dockerfile as found in the repository.
	Original []byte
	// Converted is the proposed Dockerfile; nil measures the original only
	// (the verdict is then Skipped).
	Converted []byte
	// Target is the stage of the original to build ("" = the last). The
	// converted Dockerfile is always built to its last stage.
	Target string
	// BuildArgs are passed to both builds. Names starting with BUILDKIT_
	// are refused: they change frontend behaviour (BUILDKIT_SYNTAX picks
	// another frontend image), which a verification must not let a
	// repository's configuration do.
	BuildArgs map[string]string
	// Expect is what the proposal promised about the converted image.
	Expect Expectation
}

// Runtime names the distroless image family a proposal targets.
type Runtime string

// Runtimes, after the distroless families (distroless.md §2.6).
const (
	RuntimeStatic  Runtime = "static"  // no libc: needs a static binary
	RuntimeBase    Runtime = "base"    // glibc (+ libssl)
	RuntimeCC      Runtime = "cc"      // base + libstdc++/libgcc
	RuntimePython3 Runtime = "python3" // /usr/bin/python3.13
	RuntimeNodeJS  Runtime = "nodejs"  // /nodejs/bin/node
	RuntimeJava    Runtime = "java"    // /usr/bin/java -jar
)

// Expectation is what the proposal promised; checks that depend on a
// promise run only when it is made.
type Expectation struct {
	NonRoot     bool    `json:"non_root"`               // the image must not run as uid 0
	Distroless  bool    `json:"distroless"`             // no shell may be present
	Runtime     Runtime `json:"runtime,omitempty"`      // the program family the command must run
	PythonMinor string  `json:"python_minor,omitempty"` // e.g. "3.13": the interpreter's minor version
	// PythonPackages are the distributions the build installs (from the
	// proposal): each one the original image has must be in the converted
	// image too.
	PythonPackages []string `json:"python_packages,omitempty"`
}

func (r Runtime) valid() bool {
	switch r {
	case "", RuntimeStatic, RuntimeBase, RuntimeCC, RuntimePython3, RuntimeNodeJS, RuntimeJava:
		return true
	}
	return false
}

// validate rejects requests that cannot be verified at all; those are caller
// bugs, not properties of the repository, so they are errors.
func (req *Request) validate() error {
	if req.ContextDir == "" {
		return errors.New("verify: Request.ContextDir is empty")
	}
	st, err := os.Stat(req.ContextDir)
	if err != nil {
		return fmt.Errorf("verify: context directory: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("verify: context %s is not a directory", req.ContextDir)
	}
	if len(req.Original) == 0 {
		return errors.New("verify: Request.Original is empty")
	}
	if req.Converted != nil && len(req.Converted) == 0 {
		return errors.New("verify: Request.Converted is empty (use nil to measure the original only)")
	}
	if !req.Expect.Runtime.valid() {
		return fmt.Errorf("verify: unknown runtime %q", req.Expect.Runtime)
	}
	for k := range req.BuildArgs {
		if k == "" || strings.ContainsAny(k, "= \t\n") {
			return fmt.Errorf("verify: invalid build argument name %q", k)
		}
		if strings.HasPrefix(strings.ToUpper(k), "BUILDKIT_") {
			return fmt.Errorf("verify: build argument %s is reserved for BuildKit and not forwarded", k)
		}
	}
	return nil
}
