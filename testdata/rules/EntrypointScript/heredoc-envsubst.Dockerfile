# syntax=docker/dockerfile:1
FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go build -o /out/app .
FROM debian:trixie-slim
RUN apt-get update && apt-get install -y --no-install-recommends gettext-base && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app /usr/local/bin/app
COPY --chmod=755 <<EOF /usr/local/bin/start
#!/bin/sh
set -e
envsubst < /etc/app/config.tmpl > /etc/app/config.yaml
exec /usr/local/bin/app "$@"
EOF
# want +1 "ENTRYPOINT runs the shell script start \\(written by the heredoc on line 7; it renders templates with envsubst, then starts /usr/local/bin/app\\): distroless images have no shell, so this image cannot move to distroless as is"
ENTRYPOINT ["start"]
