ARG GO_VERSION=1.26
FROM golang:${GO_VERSION}-trixie AS build
FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS pinned
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /x /x
COPY --from=pinned /y /y
