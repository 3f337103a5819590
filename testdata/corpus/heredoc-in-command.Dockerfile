# syntax=docker/dockerfile:1
FROM debian:trixie-slim
RUN cat <<EOF > /etc/apt/apt.conf.d/99-no-recommends && apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
RUN bash <<'SCRIPT'
set -euo pipefail
for i in 1 2 3; do
  echo "step $i"
done
SCRIPT
RUN tee /etc/app.conf <<CONF >/dev/null
key=value
CONF
USER 65532
