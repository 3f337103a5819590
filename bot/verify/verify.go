package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Verify builds the original Dockerfile and, when given, the converted one;
// measures both images; and inspects the converted image's filesystem to
// prove it can start. Problems of the repository or the proposal (a build
// failure, a failed check, a context over the limits) are in the Report;
// the error is for problems of the verifier itself: a bad Request, an
// unreachable daemon, a cancelled context, an unreadable export.
func (v *Verifier) Verify(ctx context.Context, req Request) (*Report, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	rep := &Report{Checks: []Check{}}
	if _, _, err := checkContextDir(req.ContextDir, v.opts.ContextLimits); err != nil {
		if !errors.Is(err, errContextRefused) {
			return nil, fmt.Errorf("verify: reading build context: %w", err)
		}
		rep.Verdict = Skipped
		rep.Reason = err.Error()
		return rep, nil
	}
	if err := v.bk.ping(ctx); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	work, err := os.MkdirTemp(v.opts.TempDir, "distill-verify-*")
	if err != nil {
		return nil, fmt.Errorf("verify: creating work directory: %w", err)
	}
	defer os.RemoveAll(work)

	// The original first: its cached base layers then speed up the
	// converted build's builder stages.
	orig, _, err := v.buildOne(ctx, filepath.Join(work, "original"), req, req.Original, req.Target, false)
	if err != nil {
		return nil, err
	}
	rep.Original = orig
	if req.Converted != nil {
		conv, checks, err := v.buildOne(ctx, filepath.Join(work, "converted"), req, req.Converted, "", true)
		if err != nil {
			return nil, err
		}
		rep.Converted = conv
		rep.Checks = append(rep.Checks, checks...)
	}
	rep.decide()
	return rep, nil
}

// buildOne builds one Dockerfile and measures the image; with inspect it
// also runs the checks, reading the layers once for both.
func (v *Verifier) buildOne(ctx context.Context, dir string, req Request, dockerfile []byte, target string, inspect bool) (*ImageReport, []Check, error) {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("verify: %w", err)
	}
	start := time.Now()
	res, err := v.bk.build(ctx, buildJob{
		ContextDir: req.ContextDir,
		Dockerfile: dockerfile,
		Target:     target,
		BuildArgs:  req.BuildArgs,
		WorkDir:    dir,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("verify: %w", err)
	}
	elapsed := durationSince(start)
	if res.Err != nil || res.Image == nil {
		msg := "the build produced no image"
		if res.Err != nil {
			msg = cleanBuildError(res.Err)
		}
		return &ImageReport{BuildError: msg, LogTail: res.LogTail, Duration: elapsed,
			Entrypoint: []string{}, Cmd: []string{}, Env: []string{}, ExposedPorts: []string{}}, nil, nil
	}

	var rep *ImageReport
	var checks []Check
	if inspect {
		cf, err := res.Image.ConfigFile()
		if err != nil {
			return nil, nil, fmt.Errorf("verify: reading image config: %w", err)
		}
		fsys, ferr := loadImageFS(ctx, res.Image, v.opts.TempDir, v.opts.InspectLimits)
		if ferr != nil {
			if ctx.Err() != nil {
				return nil, nil, fmt.Errorf("verify: %w", ctx.Err())
			}
			// An image too large or malformed to read is the proposal's
			// problem to explain, not a verifier failure.
			checks = []Check{{Name: "inspect", Status: Fail, Detail: "cannot read the converted image: " + ferr.Error()}}
			rep, err = MeasureImage(ctx, res.Image)
		} else {
			checks = inspectFS(ctx, fsys, cf, req.Expect)
			rep, err = measure(res.Image, fsys.LayerSizes)
			fsys.Close()
		}
		if err != nil {
			return nil, nil, fmt.Errorf("verify: measuring image: %w", err)
		}
	} else {
		rep, err = MeasureImage(ctx, res.Image)
		if err != nil {
			return nil, nil, fmt.Errorf("verify: measuring image: %w", err)
		}
	}
	rep.LogTail = res.LogTail
	rep.Duration = elapsed
	return rep, checks, nil
}
