ARG REGISTRY
ARG GO_VERSION=1.26
ARG DEBIAN=trixie
ARG BASE_IMAGE=gcr.io/distroless/static-debian13
ARG VARIANT
ARG SUFFIX=-nonroot

FROM golang:${GO_VERSION:-1.25}-${DEBIAN} AS build
ARG GO_VERSION
RUN echo "building with Go ${GO_VERSION}"

FROM ${REGISTRY:-docker.io}/library/debian:${DEBIAN}-slim AS tools
FROM ${BASE_IMAGE}:latest${VARIANT:+-$VARIANT} AS runtime-latest
FROM ${BASE_IMAGE}:${NOT_DECLARED:-nonroot} AS runtime
COPY --from=build /go/bin /app
