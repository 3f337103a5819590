FROM rust:1-trixie AS build
WORKDIR /src
COPY . .
# want +1 "copies the Rust binary built here \\(\"cargo build --release\", gnu target\\) into gcr.io/distroless/static-debian13:nonroot"
RUN cargo build --release
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /src/target/release/app /app
