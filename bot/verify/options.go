package verify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/moby/buildkit/client"
)

// Options configures a Verifier. The zero value of every field but
// BuildkitHost has a usable default.
type Options struct {
	// BuildkitHost is the daemon address: "unix:///run/buildkit/buildkitd.sock"
	// or "tcp://host:port". tcp:// requires TLS unless AllowInsecureTCP.
	BuildkitHost string
	// TLS configures mutual TLS for tcp:// hosts.
	TLS *TLSOptions
	// AllowInsecureTCP permits a plain-text tcp:// daemon (tests, loopback).
	AllowInsecureTCP bool
	// BuildTimeout bounds each build; default 20 minutes.
	BuildTimeout time.Duration
	// ContextLimits bounds the build context, checked before it is sent;
	// default 512 MiB and 100 000 files.
	ContextLimits ExtractLimits
	// Platform to build for, "os/arch[/variant]"; default "linux/amd64".
	Platform string
	// LogTailLines is how many build log lines each ImageReport keeps;
	// default 40.
	LogTailLines int
	// InspectLimits bounds reading the converted image (and the exported
	// OCI output of either build); default 8 GiB and 2 000 000 entries.
	InspectLimits FSLimits
	// TempDir holds per-verification work directories ("" = system default).
	TempDir string
}

// TLSOptions are file paths, as BuildKit's client reads them.
type TLSOptions struct {
	CACert     string // CA bundle to verify the daemon; "" = system roots
	Cert, Key  string // client certificate and key (both or neither)
	ServerName string // name to verify in the daemon's certificate
}

const (
	defaultBuildTimeout = 20 * time.Minute
	defaultPlatform     = "linux/amd64"
	defaultLogTailLines = 40
)

func (o Options) withDefaults() Options {
	if o.BuildTimeout <= 0 {
		o.BuildTimeout = defaultBuildTimeout
	}
	if o.Platform == "" {
		o.Platform = defaultPlatform
	}
	if o.LogTailLines <= 0 {
		o.LogTailLines = defaultLogTailLines
	}
	o.ContextLimits = o.ContextLimits.withDefaults()
	o.InspectLimits = o.InspectLimits.withDefaults()
	return o
}

// Verifier runs verifications against one BuildKit daemon. It is safe for
// concurrent use; each Verify call uses its own temporary directory.
type Verifier struct {
	opts   Options
	bk     builder
	closer func() error
}

// New connects (lazily, as gRPC does) to the BuildKit daemon in opts.
func New(opts Options) (*Verifier, error) {
	opts = opts.withDefaults()
	if _, err := v1.ParsePlatform(opts.Platform); err != nil {
		return nil, fmt.Errorf("verify: platform %q: %w", opts.Platform, err)
	}
	copts, err := clientOptions(opts)
	if err != nil {
		return nil, err
	}
	c, err := client.New(context.Background(), opts.BuildkitHost, copts...)
	if err != nil {
		return nil, fmt.Errorf("verify: connecting to BuildKit at %s: %w", opts.BuildkitHost, err)
	}
	return &Verifier{opts: opts, bk: &buildkitBuilder{c: c, opts: opts}, closer: c.Close}, nil
}

// newWithBuilder builds a Verifier around another builder (tests).
func newWithBuilder(opts Options, b builder) *Verifier {
	return &Verifier{opts: opts.withDefaults(), bk: b, closer: func() error { return nil }}
}

// Close releases the connection to the daemon.
func (v *Verifier) Close() error { return v.closer() }

// clientOptions validates the address and turns TLS settings into client
// options. Only unix:// and tcp:// are accepted: the other schemes BuildKit
// knows (docker-container://, kube-pod://, ssh://) run helper programs.
func clientOptions(opts Options) ([]client.ClientOpt, error) {
	if opts.BuildkitHost == "" {
		return nil, errors.New("verify: Options.BuildkitHost is empty")
	}
	u, err := url.Parse(opts.BuildkitHost)
	if err != nil {
		return nil, fmt.Errorf("verify: BuildkitHost %q: %w", opts.BuildkitHost, err)
	}
	switch u.Scheme {
	case "unix":
		if opts.TLS != nil {
			return nil, errors.New("verify: TLS options are for tcp:// hosts, not unix sockets")
		}
		return nil, nil
	case "tcp":
	default:
		return nil, fmt.Errorf("verify: BuildkitHost %q: only unix:// and tcp:// are supported", opts.BuildkitHost)
	}
	if opts.TLS == nil {
		if !opts.AllowInsecureTCP {
			return nil, fmt.Errorf("verify: BuildkitHost %q is tcp:// without TLS; set Options.TLS or AllowInsecureTCP", opts.BuildkitHost)
		}
		return nil, nil
	}
	t := opts.TLS
	if (t.Cert == "") != (t.Key == "") {
		return nil, errors.New("verify: TLS client certificate and key must be given together")
	}
	serverName := t.ServerName
	if serverName == "" {
		serverName = u.Hostname()
	}
	var copts []client.ClientOpt
	if t.CACert != "" {
		copts = append(copts, client.WithServerConfig(serverName, t.CACert))
	} else {
		copts = append(copts, client.WithServerConfigSystem(serverName))
	}
	if t.Cert != "" {
		copts = append(copts, client.WithCredentials(t.Cert, t.Key))
	}
	return copts, nil
}
