FROM alpine:3.22 AS empty
FROM scratch AS nothing
FROM debian:trixie-slim AS final
COPY --from=empty /etc/alpine-release /etc/
