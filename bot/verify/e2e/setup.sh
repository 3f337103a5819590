#!/usr/bin/env bash
# Installs the Debian packages distill's end-to-end suite needs on a fresh
# Debian/Ubuntu machine. Idempotent: does nothing when they are present.
#
#   runc        runs the built images (and BuildKit's OCI worker uses it)
#   mmdebstrap  bootstraps the debian:trixie / debian:bookworm roots
#   dpkg, apt   (always present) unpack .debs and resolve package files
#
# buildkitd and buildctl are not packages: the suite builds them from
# bot/verify/e2e/tools (a separate Go module) into its cache on first use.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: must run as root" >&2
	exit 1
fi

packages=(runc mmdebstrap ca-certificates)
missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -gt 0 ]; then
	echo "setup.sh: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
	echo "setup.sh: ${packages[*]} already installed"
fi

for tool in runc mmdebstrap apt-get dpkg-deb ldconfig go; do
	if ! command -v "$tool" >/dev/null; then
		echo "setup.sh: $tool not found on PATH" >&2
		exit 1
	fi
done
echo "setup.sh: ready; run: DISTILL_E2E=1 go test ./bot/verify/e2e/ -v -timeout 45m"
