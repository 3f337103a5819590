FROM golang AS dev
RUN go test ./...
FROM debian:trixie-slim
COPY app /app
