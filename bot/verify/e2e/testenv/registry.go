package testenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Registry is an in-process OCI registry on a loopback port, with blobs on
// disk so multi-gigabyte builder images do not sit in memory.
type Registry struct {
	// Host is "127.0.0.1:port".
	Host string
	srv  *http.Server
	done chan error
}

// StartRegistry serves a registry on 127.0.0.1 with blobs stored in dir.
func StartRegistry(dir string) (*Registry, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for registry: %w", err)
	}
	h := registry.New(
		registry.WithBlobHandler(registry.NewDiskBlobHandler(dir)),
		registry.Logger(log.New(io.Discard, "", 0)),
	)
	r := &Registry{Host: ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: time.Minute}, done: make(chan error, 1)}
	go func() { r.done <- r.srv.Serve(ln) }()
	return r, nil
}

// Close stops the registry.
func (r *Registry) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if serr := <-r.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Local maps a public reference ("gcr.io/distroless/static-debian13:nonroot",
// "golang:1.26") to the same repository path in this registry, which is the
// path a registry mirror is asked for.
func (r *Registry) Local(ref string) (name.Reference, error) {
	pub, err := name.ParseReference(ref)
	if err != nil {
		return nil, fmt.Errorf("parsing %q: %w", ref, err)
	}
	repo := pub.Context().RepositoryStr()
	local := r.Host + "/" + repo
	if strings.Contains(pub.String(), "@") {
		return name.NewDigest(local+"@"+pub.Identifier(), name.Insecure)
	}
	return name.NewTag(local+":"+pub.Identifier(), name.Insecure)
}

// Push publishes img under every reference in refs.
func (r *Registry) Push(ctx context.Context, img v1.Image, refs ...string) error {
	for i, ref := range refs {
		dst, err := r.Local(ref)
		if err != nil {
			return err
		}
		if i == 0 {
			if err := remote.Write(dst, img, remote.WithContext(ctx)); err != nil {
				return fmt.Errorf("pushing %s: %w", ref, err)
			}
			continue
		}
		if err := remote.Tag(dst.(name.Tag), img, remote.WithContext(ctx)); err != nil {
			return fmt.Errorf("tagging %s: %w", ref, err)
		}
	}
	return nil
}

// Pull reads an image from this registry by its public reference.
func (r *Registry) Pull(ctx context.Context, ref string) (v1.Image, error) {
	src, err := r.Local(ref)
	if err != nil {
		return nil, err
	}
	return remote.Image(src, remote.WithContext(ctx))
}
