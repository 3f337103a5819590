# syntax=docker/dockerfile:1
FROM debian:trixie-slim
# want +1 "runs `apt-get install ca-certificates curl`"
RUN <<EOF
set -eux
apt-get update
apt-get install -y ca-certificates curl
rm -rf /var/lib/apt/lists/*
EOF
USER 65532
