# syntax=docker/dockerfile:1
FROM debian:trixie-slim AS unused
RUN apt-get update && apt-get install -y vim

FROM debian:trixie-slim AS configured
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99-no-recommends
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

FROM debian:trixie-slim AS snippet
COPY <<EOF /etc/apt/apt.conf.d/99-no-recommends
APT::Install-Recommends "0";
EOF
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*

FROM configured
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && apt-get -o APT::Install-Recommends=false install -y tzdata \
 && apt-get install -f \
 && rm -rf /var/lib/apt/lists/*
RUN ["apt-get", "install", "-y", "tini"]
COPY --from=snippet /etc/apt /etc/apt
USER 65532
