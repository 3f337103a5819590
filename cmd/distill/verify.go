package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/verify"
)

type verifyOptions struct {
	context, target, host, config string
	tls                           verify.TLSOptions
	json                          bool
	timeout                       time.Duration
}

func addVerify(root *cobra.Command) {
	var o verifyOptions
	cmd := &cobra.Command{
		Use:   "verify [Dockerfile]",
		Short: "Build the original and the converted Dockerfile with BuildKit and inspect the result",
		Long: `verify converts a Dockerfile, builds the original and the conversion with a BuildKit
daemon (BUILDKIT_HOST, unix:// or tcp:// with TLS) from the same context directory, reads
both images back, measures them, and inspects the converted image's filesystem: the command
resolves, its ELF interpreter and libraries exist, a venv's interpreter resolves, the jar or
script exists, the user is non-root, no shell is present. Nothing is pushed; no secrets or
SSH agents are forwarded. Exit status: 0 verified (or only the original is broken), 1 the
proposal failed, 2 usage or infrastructure errors.`,
		Example: `  BUILDKIT_HOST=unix:///run/buildkit/buildkitd.sock distill verify services/api/Dockerfile
  distill verify --context . --target runtime --json Dockerfile`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runVerify(cmd, o, args) },
	}
	f := cmd.Flags()
	f.StringVar(&o.context, "context", "", "build context directory (default: the Dockerfile's directory)")
	f.StringVar(&o.target, "target", "", "stage of the original to build (default: the last)")
	f.StringVar(&o.host, "buildkit-host", os.Getenv("BUILDKIT_HOST"), "BuildKit daemon address (BUILDKIT_HOST)")
	f.StringVar(&o.tls.CACert, "tlscacert", "", "CA certificate of a tcp:// daemon")
	f.StringVar(&o.tls.Cert, "tlscert", "", "client certificate for a tcp:// daemon")
	f.StringVar(&o.tls.Key, "tlskey", "", "client key for a tcp:// daemon")
	f.StringVar(&o.tls.ServerName, "tlsservername", "", "server name to verify in the daemon's certificate")
	f.StringVar(&o.config, "config", "", "configuration file (default: .github/distill.yml when present)")
	f.BoolVar(&o.json, "json", false, "print the proposal and the report as JSON")
	f.DurationVar(&o.timeout, "timeout", 20*time.Minute, "per-build timeout")
	root.AddCommand(cmd)
}

func runVerify(cmd *cobra.Command, o verifyOptions, args []string) error {
	file := "Dockerfile"
	if len(args) == 1 {
		file = args[0]
	}
	if o.host == "" {
		return usageErrorf("no BuildKit daemon: set BUILDKIT_HOST or --buildkit-host (unix:///run/buildkit/buildkitd.sock, tcp://host:1234)")
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return usageErrorf("%v", err)
	}
	cfg, err := loadConfig(o.config)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	ctxDir := o.context
	if ctxDir == "" {
		ctxDir = filepath.Dir(file)
	}
	rc, err := loadContext(ctxDir)
	if err != nil {
		return usageErrorf("%v", err)
	}
	p, err := analyzer.Convert(src, analyzer.ConvertOptions{Path: filepath.ToSlash(file), Target: o.target, Config: cfg, Context: rc})
	if err != nil {
		return usageErrorf("%v", err)
	}
	opts := verify.Options{BuildkitHost: o.host, BuildTimeout: o.timeout}
	if o.tls != (verify.TLSOptions{}) {
		opts.TLS = &o.tls
	}
	v, err := verify.New(opts)
	if err != nil {
		return usageErrorf("%v", err)
	}
	defer v.Close()
	req := verify.Request{ContextDir: ctxDir, Original: src, Target: o.target}
	switch p.Status {
	case convert.Converted:
		req.Converted = p.Dockerfile
		req.Expect = verify.ExpectationOf(p)
	case convert.Unchanged:
		// Already the proposal: verify the file itself.
		req.Converted = src
		req.Expect = verify.ExpectationOf(p)
	}
	rep, err := v.Verify(cmd.Context(), req)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("verifying %s: %w", file, err)}
	}
	out := cmd.OutOrStdout()
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Proposal *convert.Proposal `json:"proposal"`
			Report   *verify.Report    `json:"report"`
		}{p, rep}); err != nil {
			return err
		}
	} else {
		switch p.Status {
		case convert.Declined:
			fmt.Fprintf(out, "%s: not converted: %s\n\n", file, p.Decline.Reason)
		case convert.Unchanged:
			fmt.Fprintf(out, "%s: already converted (%s)\n\n", file, p.FinalImage)
		default:
			fmt.Fprintf(out, "%s → %s (%s)\n\n", file, p.FinalImage, p.Recipe)
		}
		if err := rep.WriteText(out); err != nil {
			return err
		}
	}
	if rep.Verdict == verify.Failed {
		return &exitError{code: exitFindings}
	}
	return nil
}
