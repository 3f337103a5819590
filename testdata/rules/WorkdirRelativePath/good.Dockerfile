FROM debian:trixie-slim
WORKDIR /app
WORKDIR sub
