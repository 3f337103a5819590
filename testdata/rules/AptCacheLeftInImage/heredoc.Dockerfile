# syntax=docker/dockerfile:1
FROM ubuntu:24.04
# want +1 "runs `apt-get update` but does not remove"
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends tzdata
EOF
USER 65532
