package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/localrepo"
)

type fixOptions struct {
	write     bool
	json      bool
	target    string
	nonroot   bool
	debian    int
	config    string
	context   string
	buildArgs []string
}

func addFix(root *cobra.Command) {
	var o fixOptions
	cmd := &cobra.Command{
		Use:   "fix [paths or directories…]",
		Short: "Convert Dockerfiles into multi-stage builds with distroless final images",
		Long: `fix prints, per Dockerfile, a unified diff of the conversion and the notes a reviewer
needs (changes, behaviour changes, risks), or the reason no safe conversion exists.
--write applies the diffs. Repository files next to each Dockerfile (go.mod,
package.json, pom.xml, …) improve the result; --context names the build context when
it is not the Dockerfile's directory.
Exit status: 0 nothing left to change, 1 conversions proposed but not written,
2 usage or read errors.`,
		Example: `  distill fix testdata/examples/go-cgo-on-distroless/Dockerfile
  distill fix --write .
  distill fix --json --debian 12 services/api/Dockerfile`,
		RunE: func(cmd *cobra.Command, args []string) error { return runFix(cmd, o, args) },
	}
	f := cmd.Flags()
	f.BoolVarP(&o.write, "write", "w", false, "write the converted Dockerfiles in place")
	f.BoolVar(&o.json, "json", false, "print the proposals as JSON")
	f.StringVar(&o.target, "target", "", "shipped stage (default: the last stage)")
	f.BoolVar(&o.nonroot, "nonroot", true, "use :nonroot distroless images (uid 65532)")
	f.IntVar(&o.debian, "debian", 0, "Debian release of the distroless image: 12 or 13 (default: the config's, else 13)")
	f.StringVar(&o.config, "config", "", "configuration file (default: .github/distill.yml when present)")
	f.StringVar(&o.context, "context", "", "build context directory (default: each Dockerfile's directory)")
	f.StringArrayVar(&o.buildArgs, "build-arg", nil, "NAME=value for ARGs used in FROM lines (repeatable)")
	root.AddCommand(cmd)
}

// jsonProposal is the --json shape of a proposal.
type jsonProposal struct {
	*convert.Proposal
	Dockerfile string `json:"dockerfile"`
	Diff       string `json:"diff,omitempty"`
}

func runFix(cmd *cobra.Command, o fixOptions, args []string) error {
	cfg, err := loadConfig(o.config)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if cmd.Flags().Changed("debian") {
		if o.debian != 12 && o.debian != 13 {
			return usageErrorf("--debian %d: want 12 or 13", o.debian)
		}
		cfg.Images.Debian = o.debian
	}
	if cmd.Flags().Changed("nonroot") {
		cfg.Images.Nonroot = &o.nonroot
	}
	buildArgs, err := parseBuildArgs(o.buildArgs)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	files, errs := discover(args)
	out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	pending := false
	var proposals []jsonProposal
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ctxDir := o.context
		if ctxDir == "" {
			ctxDir = filepath.Dir(file)
		}
		rc, err := loadContext(ctxDir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := analyzer.Convert(src, analyzer.ConvertOptions{
			Path: filepath.ToSlash(file), Target: o.target, Config: cfg, BuildArgs: buildArgs, Context: rc,
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		diff := ""
		if p.Status == convert.Converted {
			diff = convert.UnifiedDiff(strings.TrimPrefix(filepath.ToSlash(file), "/"), src, p.Dockerfile)
			if o.write {
				if err := writeAtomic(file, p.Dockerfile); err != nil {
					errs = append(errs, err)
					continue
				}
			} else {
				pending = true
			}
		}
		if o.json {
			proposals = append(proposals, jsonProposal{Proposal: p, Dockerfile: string(p.Dockerfile), Diff: diff})
			continue
		}
		printProposal(out, stderr, file, p, diff, o.write)
	}
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if proposals == nil {
			proposals = []jsonProposal{}
		}
		if err := enc.Encode(proposals); err != nil {
			return err
		}
	}
	for _, e := range errs {
		fmt.Fprintf(stderr, "distill: %v\n", e)
	}
	if len(errs) > 0 {
		return &exitError{code: exitUsage}
	}
	if pending {
		return &exitError{code: exitFindings}
	}
	return nil
}

func printProposal(out, stderr interface{ Write([]byte) (int, error) }, file string, p *convert.Proposal, diff string, written bool) {
	switch p.Status {
	case convert.Converted:
		if written {
			fmt.Fprintf(stderr, "%s: converted (%s, %s)\n", file, p.Recipe, p.FinalImage)
		} else {
			fmt.Fprint(out, diff)
		}
		for _, n := range p.Notes {
			fmt.Fprintf(stderr, "%s: %s: %s\n", file, n.Kind, n.Text)
		}
	case convert.Unchanged:
		fmt.Fprintf(stderr, "%s: nothing to change (%s)\n", file, p.FinalImage)
	case convert.Declined:
		fmt.Fprintf(stderr, "%s: not converted: %s\n", file, p.Decline.Reason)
		for _, a := range p.Decline.Alternatives {
			fmt.Fprintf(stderr, "%s:   instead: %s\n", file, a)
		}
	}
}

// writeAtomic replaces a file through a temporary file in the same
// directory, keeping its mode.
func writeAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".distill-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// loadContext reads the repository files the converter uses from a build
// context directory.
func loadContext(dir string) (*convert.RepoContext, error) { return localrepo.WithSearch(dir) }
