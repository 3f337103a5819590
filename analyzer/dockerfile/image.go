package dockerfile

import (
	"strings"

	"github.com/distribution/reference"
)

// ImageRef is a base image reference split into its parts.
type ImageRef struct {
	// Raw is the reference after ARG expansion, as it would be pulled.
	Raw string
	// Registry is the registry host, "docker.io" for Docker Hub.
	Registry string
	// Repository is the path inside the registry, "library/golang" for
	// official Docker Hub images.
	Repository string
	Tag        string // "" when absent
	Digest     string // "sha256:…" or ""
	// Unresolved is true when the reference uses a variable that has no
	// value (an ARG without default); the parts are then best effort.
	Unresolved bool
	// Invalid is true when the expanded reference is not a valid image
	// reference.
	Invalid bool
	// Scratch is true for FROM scratch.
	Scratch bool
}

// ParseImageRef splits an expanded image reference. It never fails: invalid
// references come back with Invalid set and Raw filled.
func ParseImageRef(raw string) ImageRef {
	ref := ImageRef{Raw: raw}
	if strings.EqualFold(raw, "scratch") {
		ref.Scratch = true
		return ref
	}
	named, err := reference.ParseNormalizedNamed(raw)
	if err != nil {
		ref.Invalid = true
		// Best-effort split so rules can still say something useful.
		rest := raw
		if i := strings.Index(rest, "@"); i >= 0 {
			ref.Digest = rest[i+1:]
			rest = rest[:i]
		}
		if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
			ref.Tag = rest[i+1:]
			rest = rest[:i]
		}
		ref.Repository = rest
		return ref
	}
	ref.Registry = reference.Domain(named)
	ref.Repository = reference.Path(named)
	if t, ok := named.(reference.Tagged); ok {
		ref.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		ref.Digest = d.Digest().String()
	}
	return ref
}

// Name returns the familiar repository name: "golang" for
// docker.io/library/golang, "gcr.io/distroless/static-debian13" for others.
func (r ImageRef) Name() string {
	if r.Registry == "" || r.Registry == "docker.io" {
		return strings.TrimPrefix(r.Repository, "library/")
	}
	return r.Registry + "/" + r.Repository
}

// Short returns the last path element of the repository: "golang",
// "static-debian13".
func (r ImageRef) Short() string {
	return r.Repository[strings.LastIndex(r.Repository, "/")+1:]
}

// Familiar renders the reference the way users write it: name, tag and
// digest, without docker.io/library/.
func (r ImageRef) Familiar() string {
	if r.Scratch {
		return "scratch"
	}
	if r.Invalid || r.Repository == "" {
		return r.Raw
	}
	s := r.Name()
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// IsDistroless reports whether the image is a Google distroless image.
func (r ImageRef) IsDistroless() bool {
	return r.Registry == "gcr.io" && strings.HasPrefix(r.Repository, "distroless/")
}
