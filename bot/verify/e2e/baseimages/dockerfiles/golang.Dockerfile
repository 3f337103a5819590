# golang:<ver>-trixie, synthesized: Debian trixie with the C toolchain and
# the same tools the official image inherits from buildpack-deps:trixie-scm
# (curl, git), plus the Go toolchain from the Go module proxy.
FROM debian:trixie
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl git gcc libc6-dev make pkg-config netbase \
 && rm -rf /var/lib/apt/lists/*
ARG GOLANG_VERSION
ENV GOLANG_VERSION=${GOLANG_VERSION} GOTOOLCHAIN=local GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY go /usr/local/go
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version
WORKDIR /go
