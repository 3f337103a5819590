package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// builder is the seam between Verify and BuildKit, so that everything but
// the build itself is tested without a daemon.
type builder interface {
	// ping fails when the daemon cannot be reached: an infrastructure
	// problem, returned as an error rather than blamed on a Dockerfile.
	ping(ctx context.Context) error
	// build runs one Dockerfile build. The error is for infrastructure
	// failures; a Dockerfile that does not build is a buildResult with Err.
	build(ctx context.Context, job buildJob) (*buildResult, error)
}

type buildJob struct {
	ContextDir string
	Dockerfile []byte
	Target     string
	BuildArgs  map[string]string
	WorkDir    string // private, empty directory for this build
}

type buildResult struct {
	Image   v1.Image // nil when the build failed; valid until WorkDir is removed
	Err     error    // why the Dockerfile did not build
	LogTail []string
}

// buildkitBuilder builds with a BuildKit daemon through its Go client.
type buildkitBuilder struct {
	c    *client.Client
	opts Options
}

var _ builder = (*buildkitBuilder)(nil)

func (b *buildkitBuilder) ping(ctx context.Context) error {
	ws, err := b.c.ListWorkers(ctx)
	if err != nil {
		return fmt.Errorf("BuildKit at %s: %w", b.opts.BuildkitHost, err)
	}
	if len(ws) == 0 {
		return fmt.Errorf("BuildKit at %s has no workers", b.opts.BuildkitHost)
	}
	return nil
}

// build solves with the dockerfile.v0 frontend and exports OCI to the
// client. What the build may use is deliberately narrow: the context and
// the Dockerfile as local mounts, no session attachables (so no secrets, no
// SSH agent, no registry credentials), no entitlements (so no
// network=host or security=insecure), no cache import or export.
func (b *buildkitBuilder) build(ctx context.Context, job buildJob) (*buildResult, error) {
	dfDir := filepath.Join(job.WorkDir, "dockerfile")
	if err := os.Mkdir(dfDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating Dockerfile directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dfDir, "Dockerfile"), job.Dockerfile, 0o600); err != nil {
		return nil, fmt.Errorf("writing Dockerfile: %w", err)
	}
	ctxFS, err := fsutil.NewFS(job.ContextDir)
	if err != nil {
		return nil, fmt.Errorf("opening build context: %w", err)
	}
	dfFS, err := fsutil.NewFS(dfDir)
	if err != nil {
		return nil, fmt.Errorf("opening Dockerfile directory: %w", err)
	}
	recv := newOCIReceiver(filepath.Join(job.WorkDir, "oci"), ExtractLimits{
		MaxBytes: b.opts.InspectLimits.MaxBytes,
		MaxFiles: 100_000,
	})
	opt := client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: frontendAttrs(job, b.opts.Platform),
		LocalMounts:   map[string]fsutil.FS{"context": ctxFS, "dockerfile": dfFS},
		Exports: []client.ExportEntry{{
			Type:   client.ExporterOCI,
			Attrs:  map[string]string{},
			Output: recv.output,
		}},
	}

	bctx, cancel := context.WithTimeout(ctx, b.opts.BuildTimeout)
	defer cancel()
	log := newBuildLog(b.opts.LogTailLines)
	statusCh := make(chan *client.SolveStatus)
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		for s := range statusCh {
			log.add(s)
		}
	}()
	_, solveErr := b.c.Solve(bctx, nil, opt, statusCh)
	<-logged
	res := &buildResult{LogTail: log.tail()}

	// Always stop the extractor; after a failed solve its error is no news.
	recvErr := recv.finish()
	switch {
	case solveErr != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("build interrupted: %w", ctx.Err())
	case solveErr != nil && errors.Is(bctx.Err(), context.DeadlineExceeded):
		res.Err = fmt.Errorf("build timed out after %s", b.opts.BuildTimeout)
		return res, nil
	case solveErr != nil && status.Code(solveErr) == codes.Unavailable:
		return nil, fmt.Errorf("BuildKit at %s became unavailable: %w", b.opts.BuildkitHost, solveErr)
	case solveErr != nil:
		res.Err = solveErr
		return res, nil
	case recvErr != nil:
		return nil, recvErr
	}
	img, err := recv.image(b.opts.Platform)
	if err != nil {
		return nil, err
	}
	res.Image = img
	return res, nil
}

// frontendAttrs are the dockerfile.v0 options: file name, target,
// platform and build arguments, nothing else.
func frontendAttrs(job buildJob, platform string) map[string]string {
	attrs := map[string]string{
		"filename": "Dockerfile",
		"platform": platform,
	}
	if job.Target != "" {
		attrs["target"] = job.Target
	}
	keys := make([]string, 0, len(job.BuildArgs))
	for k := range job.BuildArgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		attrs["build-arg:"+k] = job.BuildArgs[k]
	}
	return attrs
}

// cleanBuildError shortens BuildKit's error for the report: the gRPC
// wrapping adds nothing a reader of a pull request needs.
func cleanBuildError(err error) string {
	msg := err.Error()
	for _, p := range []string{"failed to solve: ", "rpc error: code = Unknown desc = "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	msg = sanitizeLogLine(strings.ReplaceAll(msg, "\n", " "))
	return msg
}

// durationSince is time.Since, rounded for reports.
func durationSince(t time.Time) time.Duration {
	return time.Since(t).Round(time.Millisecond)
}
