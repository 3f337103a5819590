FROM debian:trixie AS libs
RUN apt-get update && apt-get install -y libpq5
FROM golang:1.26-bookworm AS build
RUN go build -o /out/app .
FROM debian:bookworm-slim
# want +1 "copies shared libraries \\(/usr/lib/x86_64-linux-gnu/libpq.so.5\\*\\) from debian:trixie \\(Debian 13 trixie, glibc 2.41\\) into debian:bookworm-slim.*build on debian:bookworm, or run on debian:trixie-slim"
COPY --from=libs /usr/lib/x86_64-linux-gnu/libpq.so.5* /usr/lib/x86_64-linux-gnu/
COPY --from=build /out/app /app
