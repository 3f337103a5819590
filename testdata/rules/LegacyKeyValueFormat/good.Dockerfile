FROM debian:trixie-slim
ENV PORT=8080
LABEL org.opencontainers.image.source=https://example.com
