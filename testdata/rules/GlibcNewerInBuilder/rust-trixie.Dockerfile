FROM rust:1 AS build-env
WORKDIR /app
COPY . /app
RUN cargo build --release
FROM gcr.io/distroless/cc-debian12
# want +1 "COPY --from=build-env /app/target/release/hello-world-distroless \\(stage \"build-env\"\\) copies a Rust binary from rust:1 \\(Debian 13 trixie, glibc 2.41\\) into gcr.io/distroless/cc-debian12 \\(Debian 12 bookworm, glibc 2.36\\).*anything linked against glibc symbols newer than 2.36 fails at start.*build on rust:1-bookworm, or run on gcr.io/distroless/cc-debian13"
COPY --from=build-env /app/target/release/hello-world-distroless /
CMD ["./hello-world-distroless"]
