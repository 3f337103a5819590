# syntax=docker/dockerfile:1
FROM rust:1-trixie
WORKDIR /src
COPY . .
# want +1 "runs \"cargo build --release\".*cc-debian13:nonroot \\(the gnu target needs libgcc_s from cc\\)"
RUN <<EOF
set -e
cargo build --release
cp target/release/app /usr/local/bin/app
EOF
CMD ["/usr/local/bin/app"]
