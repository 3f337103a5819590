# syntax=docker/dockerfile:1
FROM debian:trixie-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl
rm -rf /var/lib/apt/lists/*
EOF
RUN <<'EOF'
echo "no $EXPANSION here"
EOF
RUN <<"EOF" bash
set -o pipefail
curl -fsS https://example.com | sha256sum
EOF
USER 65532:65532
CMD ["curl", "--version"]
