FROM rust:1-trixie AS build
WORKDIR /src
# want +1 "before `cargo build --release --locked` \\(line 5\\).*copy Cargo.toml Cargo.lock first.*cargo-chef"
COPY . .
RUN cargo build --release --locked

FROM gcr.io/distroless/cc-debian13:nonroot
COPY --from=build /src/target/release/app /app
ENTRYPOINT ["/app"]
