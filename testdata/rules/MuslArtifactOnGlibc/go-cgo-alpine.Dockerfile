FROM golang:1.26-alpine AS build
RUN apk add --no-cache build-base
RUN go build -o /out/app .
FROM debian:bookworm-slim
# want +1 "copies a Go binary linked with cgo from stage \"build\", built on golang:1.26-alpine with musl.*ld-musl-x86_64.so.1"
COPY --from=build /out/app /app
