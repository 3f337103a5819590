# syntax=docker/dockerfile:1
FROM debian:trixie-slim
# want +1 "runs `apt-get update`"
RUN <<-EOT
	set -e
	apt-get update
	apt-get install -y --no-install-recommends curl
	EOT
USER 65532
