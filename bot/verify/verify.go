package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
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
	orig, origImg, _, err := v.buildOne(ctx, filepath.Join(work, "original"), req, req.Original, req.Target, false)
	if err != nil {
		return nil, err
	}
	rep.Original = orig
	if req.Converted != nil {
		conv, convImg, checks, err := v.buildOne(ctx, filepath.Join(work, "converted"), req, req.Converted, "", true)
		if err != nil {
			return nil, err
		}
		rep.Converted = conv
		rep.Checks = append(rep.Checks, checks...)
		if len(req.Expect.PythonPackages) > 0 && origImg != nil && convImg != nil {
			rep.Checks = append(rep.Checks, v.comparePythonPackages(ctx, req.Expect.PythonPackages, origImg, convImg)...)
		}
	}
	rep.decide()
	return rep, nil
}

// comparePythonPackages runs the python-packages check; an image it
// cannot read makes the check unknown, not failed.
func (v *Verifier) comparePythonPackages(ctx context.Context, declared []string, origImg, convImg v1.Image) []Check {
	orig, err := pythonDists(ctx, origImg, v.opts.InspectLimits)
	if err == nil {
		var conv map[string]pythonDist
		if conv, err = pythonDists(ctx, convImg, v.opts.InspectLimits); err == nil {
			return checkPythonPackages(declared, orig, conv)
		}
	}
	return []Check{{Name: "python-packages", Status: Unknown, Detail: "cannot list the installed Python packages: " + err.Error()}}
}

// buildOne builds one Dockerfile and measures the image; with inspect it
// also runs the checks, reading the layers once for both. The image is
// valid until dir is removed.
func (v *Verifier) buildOne(ctx context.Context, dir string, req Request, dockerfile []byte, target string, inspect bool) (*ImageReport, v1.Image, []Check, error) {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, nil, nil, fmt.Errorf("verify: %w", err)
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
		return nil, nil, nil, fmt.Errorf("verify: %w", err)
	}
	elapsed := durationSince(start)
	if res.Err != nil || res.Image == nil {
		msg := "the build produced no image"
		if res.Err != nil {
			msg = cleanBuildError(res.Err)
		}
		return &ImageReport{BuildError: msg, LogTail: res.LogTail, Duration: elapsed,
			Entrypoint: []string{}, Cmd: []string{}, Env: []string{}, ExposedPorts: []string{}}, nil, nil, nil
	}

	var rep *ImageReport
	var checks []Check
	if inspect {
		cf, err := res.Image.ConfigFile()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("verify: reading image config: %w", err)
		}
		fsys, ferr := loadImageFS(ctx, res.Image, v.opts.TempDir, v.opts.InspectLimits)
		if ferr != nil {
			if ctx.Err() != nil {
				return nil, nil, nil, fmt.Errorf("verify: %w", ctx.Err())
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
			return nil, nil, nil, fmt.Errorf("verify: measuring image: %w", err)
		}
	} else {
		rep, err = MeasureImage(ctx, res.Image)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("verify: measuring image: %w", err)
		}
	}
	rep.LogTail = res.LogTail
	rep.Duration = elapsed
	return rep, res.Image, checks, nil
}
