package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/report"
	"github.com/distill-bot/distill/analyzer/rules"
)

type checkOptions struct {
	format    string
	failOn    string
	config    string
	target    string
	context   string
	buildArgs []string
}

func addCheck(root *cobra.Command) {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check [paths or directories…]",
		Short: "Report what stands between Dockerfiles and small, safe multi-stage distroless images",
		Long: `check analyses Dockerfiles (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile;
directories are searched recursively, skipping .git, vendor and node_modules) and prints
one line per finding. Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or
read errors.`,
		Example: `  distill check
  distill check testdata/examples/python-lost-packages/Dockerfile
  distill check --format sarif . > distill.sarif`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "output format: text, json, sarif or github")
	f.StringVar(&o.failOn, "fail-on", "", "exit 1 when a finding is at least this severe: error, warning, info or none (default: fail_on from the config, else warning)")
	f.StringVar(&o.config, "config", "", "configuration file (default: .github/distill.yml when present)")
	f.StringVar(&o.target, "target", "", "stage to analyse (default: the last stage, or targets in the config)")
	f.StringArrayVar(&o.buildArgs, "build-arg", nil, "NAME=value for ARGs used in FROM lines (repeatable)")
	f.StringVar(&o.context, "context", "", "build context directory (default: each Dockerfile's directory)")
	root.AddCommand(cmd)
}

func runCheck(cmd *cobra.Command, o checkOptions, args []string) error {
	if !slices.Contains(report.Formats, o.format) {
		return usageErrorf("unknown --format %q (want %s)", o.format, strings.Join(report.Formats, ", "))
	}
	cfg, err := loadConfig(o.config)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	threshold := o.failOn
	if threshold == "" {
		threshold = cfg.FailOn
	}
	if threshold == "" {
		threshold = "warning"
	}
	if !slices.Contains([]string{"error", "warning", "info", "none"}, threshold) {
		return usageErrorf("unknown --fail-on %q (want error, warning, info or none)", threshold)
	}
	buildArgs, err := parseBuildArgs(o.buildArgs)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	files, readErrs := discover(args)
	var findings []analyzer.Finding
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			readErrs = append(readErrs, err)
			continue
		}
		ctxDir := o.context
		if ctxDir == "" {
			ctxDir = filepath.Dir(file)
		}
		rc, err := loadContext(ctxDir)
		if err != nil {
			readErrs = append(readErrs, err)
			continue
		}
		res, err := analyzer.Check(cmd.Context(), src, analyzer.Options{
			Path: filepath.ToSlash(file), Target: o.target, Config: cfg, BuildArgs: buildArgs, Context: rc,
		})
		if err != nil {
			readErrs = append(readErrs, err)
			continue
		}
		findings = append(findings, res.Findings...)
	}
	if err := report.Write(cmd.OutOrStdout(), o.format, findings, rules.All(), versionString()); err != nil {
		return err
	}
	for _, e := range readErrs {
		fmt.Fprintf(cmd.ErrOrStderr(), "distill: %v\n", e)
	}
	if len(readErrs) > 0 {
		return &exitError{code: exitUsage}
	}
	if len(files) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "distill: no Dockerfiles found in %s\n", strings.Join(args, ", "))
	}
	fail, _ := analyzer.AtLeast(findings, threshold)
	if fail {
		return &exitError{code: exitFindings}
	}
	return nil
}

// loadConfig reads the configuration file; an explicit path must exist.
func loadConfig(path string) (*config.Config, error) {
	explicit := path != ""
	if !explicit {
		path = config.DefaultPath
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return &config.Config{}, nil
		}
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return config.Parse(path, data, rules.Known)
}

// discover expands paths: files are taken as given, directories are
// searched for Dockerfiles.
func discover(paths []string) ([]string, []error) {
	var files []string
	var errs []error
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if d.IsDir() {
				if path != p && analyzer.SkippedDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && analyzer.IsDockerfileName(d.Name()) {
				add(path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return files, errs
}

func parseBuildArgs(kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErrorf("--build-arg %q: want NAME=value", kv)
		}
		out[k] = v
	}
	return out, nil
}
