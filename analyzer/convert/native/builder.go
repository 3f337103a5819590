package native

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Builder is the image a native binary is built on, as far as its C
// library goes.
type Builder struct {
	// Stage is the stage whose FROM names the external image.
	Stage *dockerfile.Stage
	Ref   dockerfile.ImageRef
	Image *catalog.Image
	// Debian is the builder's Debian release (0 when not Debian or unknown).
	Debian int
	Ubuntu *catalog.UbuntuRelease
	Alpine bool
	// Glibc is the builder's glibc version, "" when unknown.
	Glibc string
	// GCC is the major version of the C/C++ compiler the image provides
	// ("" when unknown): the gcc image's own, else the distribution's.
	GCC string
}

// FullImage reports builders that come with the full buildpack-deps set of
// development libraries (gcc, buildpack-deps, and the rust images other
// than slim and alpine), so a build finds them without an apt-get install.
func (b Builder) FullImage() bool {
	if b.Image == nil || b.Alpine {
		return false
	}
	tag := b.Ref.Tag
	switch b.Image.Name {
	case "gcc":
		return true
	case "buildpack-deps":
		return !strings.Contains(tag, "curl") && !strings.Contains(tag, "scm")
	case "rust", "lukemathwalker/cargo-chef":
		return !strings.Contains(tag, "slim")
	}
	return false
}

// HasDevFiles reports whether the builder image itself provides a
// library's development files.
func (b Builder) HasDevFiles(c *catalog.Catalog, lib *catalog.NativeLibrary) bool {
	if !b.FullImage() || lib == nil {
		return false
	}
	for _, d := range lib.Dev {
		for _, f := range c.Native.FullImageDev {
			if d == f {
				return true
			}
		}
	}
	return false
}

// Known reports whether the builder's C library is known.
func (b Builder) Known() bool { return b.Alpine || b.Glibc != "" }

// Describe names the builder's distribution for notes.
func (b Builder) Describe(c *catalog.Catalog) string {
	switch {
	case b.Alpine:
		return "Alpine (musl)"
	case b.Debian != 0:
		return fmt.Sprintf("Debian %d %s, glibc %s", b.Debian, c.Codename(b.Debian), b.Glibc)
	case b.Ubuntu != nil:
		return fmt.Sprintf("Ubuntu %s %s, glibc %s", b.Ubuntu.Version, b.Ubuntu.Codename, b.Ubuntu.Glibc)
	}
	return "an unknown distribution"
}

// BuilderOf describes the external image at the bottom of a stage's FROM
// chain.
func BuilderOf(in *convert.Input, st *dockerfile.Stage) Builder {
	root := st.RootFrom()
	b := Builder{Stage: root, Ref: root.Base}
	c := in.Catalog
	b.Image = in.Image(root.Base)
	tag := root.Base.Tag
	switch {
	case b.Image != nil && b.Image.IsAlpine(tag):
		b.Alpine = true
	case b.Image != nil && b.Image.Ubuntu:
		b.Ubuntu = ubuntuOf(c, b.Image, tag)
	case b.Image != nil:
		if d, ok := c.ImageDebian(b.Image, tag); ok {
			b.Debian = d
		} else if u := c.UbuntuRelease(tag); u != nil {
			b.Ubuntu = u // buildpack-deps:noble
		}
	default:
		// An image distill does not know: trust a codename in its tag
		// (ghcr.io/acme/builder:bookworm, cargo-chef:latest-rust-1-trixie).
		for _, w := range strings.Split(tag, "-") {
			if d := c.DebianByCodename(w); d != 0 {
				b.Debian = d
			}
			if w == "alpine" || strings.HasPrefix(w, "alpine3") {
				b.Alpine = true
			}
		}
		if b.Debian == 0 && !b.Alpine {
			b.Ubuntu = c.UbuntuRelease(tag)
		}
	}
	switch {
	case b.Debian != 0:
		b.Glibc = c.Glibc(b.Debian)
		b.GCC = c.DebianGCC(b.Debian)
	case b.Ubuntu != nil:
		b.Glibc = b.Ubuntu.Glibc
		b.GCC = b.Ubuntu.GCC
	}
	// The gcc image compiles its own GCC.
	if b.Image != nil && b.Image.Name == "gcc" {
		b.GCC = ""
		if v := catalog.TagVersion(tag); v != "" {
			b.GCC = catalog.Major(v)
		} else if tag == "" || tag == "latest" {
			if n := len(b.Image.Current); n > 0 {
				b.GCC = b.Image.Current[n-1]
			}
		}
	}
	return b
}

// ubuntuOf returns the release of an Ubuntu image tag; "" and latest move
// and are unknown.
func ubuntuOf(c *catalog.Catalog, im *catalog.Image, tag string) *catalog.UbuntuRelease {
	if im.Name != "ubuntu" && im.Name != "buildpack-deps" {
		return nil
	}
	return c.UbuntuRelease(tag)
}

// GlibcFits reports whether a glibc-linked binary built on b runs on the
// distroless image of a Debian release: its glibc must not be older than
// the builder's.
func (b Builder) GlibcFits(c *catalog.Catalog, debian int) bool {
	if b.Debian != 0 {
		return b.Debian <= debian
	}
	if b.Glibc == "" {
		return false
	}
	return catalog.CompareVersions(b.Glibc, c.Glibc(debian)) <= 0
}

// CompilerFits reports whether C++ code compiled on b links a libstdc++ no
// newer than the cc image's (Debian's default GCC of the release).
func (b Builder) CompilerFits(c *catalog.Catalog, debian int) bool {
	if b.GCC == "" {
		return false
	}
	return catalog.CompareVersions(b.GCC, c.DebianGCC(debian)) <= 0
}

// Floating reports whether the builder's tag follows upstream's newest
// Debian release ("", latest, stable): pin it so a new release cannot break
// the binary's glibc.
func (b Builder) Floating() bool {
	if b.Image == nil || b.Ref.Digest != "" || b.Debian == 0 {
		return false
	}
	tag := b.Ref.Tag
	for _, w := range catalog.TagWords(tag) {
		if w == "bookworm" || w == "trixie" || w == "bullseye" || w == "buster" {
			return false
		}
	}
	switch b.Image.Name {
	case "debian":
		return tag == "" || tag == "latest" || strings.HasPrefix(tag, "stable") || tag == "slim"
	case "buildpack-deps":
		return catalog.TagVersion(tag) == ""
	}
	return false
}

// RepinDebian returns the builder image on another Debian release (or the
// same release, pinned by codename) for the debian and buildpack-deps
// images; "" when the image cannot be re-pinned that way.
func (b Builder) RepinDebian(c *catalog.Catalog, debian int) string {
	if b.Image == nil || b.Ref.Digest != "" {
		return ""
	}
	codename := c.Codename(debian)
	tag := b.Ref.Tag
	var variant []string
	for _, w := range catalog.TagWords(tag) {
		switch {
		case c.DebianByCodename(w) != 0, w == "stable", w == "oldstable", w == "latest":
		case len(w) == 8 && strings.Trim(w, "0123456789") == "": // date stamp
		default:
			variant = append(variant, w)
		}
	}
	if tag == "slim" || tag == "curl" || tag == "scm" {
		variant = []string{tag}
	}
	switch b.Image.Name {
	case "debian":
		return strings.Join(append([]string{"debian:" + codename}, variant...), "-")
	case "buildpack-deps":
		return strings.Join(append([]string{"buildpack-deps:" + codename}, variant...), "-")
	}
	return ""
}
