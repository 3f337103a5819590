package testenv

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"

	"github.com/distill-bot/distill/bot/verify"
)

// BuildRequest describes one Dockerfile build.
type BuildRequest struct {
	// ContextDir is the build context.
	ContextDir string
	// Dockerfile is the Dockerfile path, relative to ContextDir unless
	// absolute. Default "Dockerfile".
	Dockerfile string
	// Target is the stage to build; empty builds the last stage.
	Target string
	// BuildArgs are passed as --build-arg.
	BuildArgs map[string]string
	// OutDir receives the image as an OCI layout; a temporary directory
	// when empty.
	OutDir string
	// Log receives BuildKit's progress (step names, RUN output); nil
	// discards it.
	Log io.Writer
}

// Build runs req against the BuildKit daemon at addr and returns the
// resulting image, read back from the OCI layout BuildKit exported.
func Build(ctx context.Context, addr string, req BuildRequest) (v1.Image, error) {
	if req.OutDir == "" {
		return nil, fmt.Errorf("testenv.Build: OutDir is required")
	}
	if err := solve(ctx, addr, req); err != nil {
		return nil, err
	}
	return ReadLayout(req.OutDir)
}

func solve(ctx context.Context, addr string, req BuildRequest) error {
	df := req.Dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	if !filepath.IsAbs(df) {
		df = filepath.Join(req.ContextDir, df)
	}
	ctxFS, err := fsutil.NewFS(req.ContextDir)
	if err != nil {
		return fmt.Errorf("build context %s: %w", req.ContextDir, err)
	}
	dfFS, err := fsutil.NewFS(filepath.Dir(df))
	if err != nil {
		return fmt.Errorf("dockerfile dir: %w", err)
	}
	attrs := map[string]string{"filename": filepath.Base(df)}
	if req.Target != "" {
		attrs["target"] = req.Target
	}
	for k, v := range req.BuildArgs {
		attrs["build-arg:"+k] = v
	}
	c, err := client.New(ctx, addr)
	if err != nil {
		return fmt.Errorf("connecting to buildkitd %s: %w", addr, err)
	}
	defer c.Close()
	if err := os.MkdirAll(req.OutDir, 0o755); err != nil {
		return err
	}
	opt := client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: attrs,
		LocalMounts:   map[string]fsutil.FS{"context": ctxFS, "dockerfile": dfFS},
		Exports: []client.ExportEntry{{
			Type:      client.ExporterOCI,
			Attrs:     map[string]string{"tar": "false", "oci-mediatypes": "true", "compression": "gzip"},
			OutputDir: req.OutDir,
		}},
	}
	ch := make(chan *client.SolveStatus)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		printProgress(ch, req.Log)
	}()
	_, err = c.Solve(ctx, nil, opt, ch)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("building %s: %w", df, err)
	}
	return nil
}

// printProgress writes a plain-text trace of a solve: each step once when
// it starts, and every log line of RUN steps.
func printProgress(ch <-chan *client.SolveStatus, w io.Writer) {
	started := map[string]bool{}
	for st := range ch {
		if w == nil {
			continue
		}
		for _, v := range st.Vertexes {
			key := v.Digest.String()
			if v.Started != nil && !started[key] {
				started[key] = true
				cached := ""
				if v.Cached {
					cached = " (cached)"
				}
				fmt.Fprintf(w, "#> %s%s\n", v.Name, cached)
			}
			if v.Error != "" {
				fmt.Fprintf(w, "#! %s: %s\n", v.Name, v.Error)
			}
		}
		for _, l := range st.Logs {
			for _, line := range strings.Split(strings.TrimRight(string(l.Data), "\n"), "\n") {
				fmt.Fprintf(w, "   %s\n", line)
			}
		}
	}
}

// ReadLayout returns the image in an OCI layout written by BuildKit,
// skipping attestation manifests.
func ReadLayout(dir string) (v1.Image, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("reading OCI layout %s: %w", dir, err)
	}
	return verify.ImageFromIndex(idx, nil)
}
