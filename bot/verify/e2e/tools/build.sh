#!/usr/bin/env sh
# Builds buildkitd and buildctl (BuildKit v0.34.2, pinned in go.mod) into
# the directory given as $1 (default ./bin). The e2e suite does the same in
# Go (testenv.EnsureTools) and caches the result; this script is for using
# the daemon by hand. `go install ...@version` cannot be used: BuildKit's
# go.mod has exclude directives, which the go command rejects there.
set -eu
cd "$(dirname "$0")"
out="${1:-bin}"
GOWORK=off CGO_ENABLED=0 go build -trimpath -o "$out/" \
	github.com/moby/buildkit/cmd/buildkitd \
	github.com/moby/buildkit/cmd/buildctl
echo "built $out/buildkitd $out/buildctl"
