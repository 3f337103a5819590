# options: target=final
FROM golang:1.3-slim AS never-built
FROM golang:1.26-alpine3.22 AS build
FROM python:3.13-slim-trixie AS py
FROM node:22-bookworm-slim AS node
FROM rust:1-slim-trixie AS rust
FROM eclipse-temurin:21-jre AS jre
FROM gcr.io/distroless/static-debian13:nonroot AS final
COPY --from=build /a /a
COPY --from=py /b /b
COPY --from=node /c /c
COPY --from=rust /d /d
COPY --from=jre /e /e
