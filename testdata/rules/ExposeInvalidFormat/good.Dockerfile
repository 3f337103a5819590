FROM debian:trixie-slim
EXPOSE 80/tcp 8080
