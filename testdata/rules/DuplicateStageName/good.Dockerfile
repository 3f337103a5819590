FROM golang:1.26-trixie AS build
FROM debian:trixie-slim AS runtime
