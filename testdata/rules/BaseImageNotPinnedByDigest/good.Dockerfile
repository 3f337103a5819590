# options: pin_digest=true
ARG BASE=debian:trixie-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
ARG UNSET
FROM golang:1.26-trixie@sha256:1111111111111111111111111111111111111111111111111111111111111111 AS build
RUN go build -o /out/app .

FROM node:22-trixie AS unused
RUN npm ci

FROM ${UNSET} AS unknown
FROM ${BASE} AS base
FROM alpine AS untagged
FROM scratch AS empty
COPY --from=build /out/app /app

FROM base
COPY --from=empty /app /app
COPY --from=0 /out/app /app2
COPY --from=unknown /x /x
COPY --from=untagged /etc/os-release /etc/os-release
COPY --from=ghcr.io/astral-sh/uv:0.9@sha256:2222222222222222222222222222222222222222222222222222222222222222 /uv /uv
USER 65532
