FROM debian:trixie-slim
LABEL org.opencontainers.image.authors=someone@example.com
