// Package baseimages synthesizes the base images that distill's end-to-end
// suite builds against, because no public registry is reachable from CI.
//
// Three kinds of image are produced, each named exactly as the real one so
// that unmodified Dockerfiles resolve them through a registry mirror:
//
//   - Debian roots (debian:trixie, debian:bookworm) bootstrapped with
//     mmdebstrap, so that dpkg and apt inside builds behave as in the
//     official images.
//   - Google distroless images (gcr.io/distroless/*-debian13) assembled the
//     way upstream assembles them: by unpacking the data archives of a fixed
//     list of Debian packages, with no dpkg database and no shell, plus the
//     generated users, os-release, nsswitch.conf and CA bundle.
//   - Language builder images (golang, python, node, eclipse-temurin, maven,
//     rust) built by BuildKit itself from small Dockerfiles on top of the
//     Debian roots, with toolchains taken from Debian, the Go module proxy or
//     the npm registry.
//
// Everything that is downloaded or built is cached under a directory (see
// Config.CacheDir); a cold run with an empty cache rebuilds everything.
package baseimages
