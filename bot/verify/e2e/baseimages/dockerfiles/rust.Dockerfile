# rust:1-trixie, synthesized from Debian trixie's rustc and cargo (the
# official image installs the latest stable with rustup).
FROM debian:trixie
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev rustc cargo \
 && rm -rf /var/lib/apt/lists/*
ARG RUST_VERSION
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION=${RUST_VERSION}
ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN rustc --version && cargo --version
