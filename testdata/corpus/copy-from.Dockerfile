FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go install github.com/example/tool@v1.2.3

FROM alpine:3.22
RUN apk add --no-cache ca-certificates

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /go/bin/tool /usr/local/bin/tool
COPY --from=1 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /uvx /bin/
COPY --from=busybox:1.37-musl /bin/busybox /busybox/busybox
ENTRYPOINT ["/usr/local/bin/tool"]
