ARG BASE=gcr.io/distroless/base
# want +1 "gcr.io/distroless/base:nonroot has no Debian suffix"
FROM ${BASE}:nonroot
COPY app /app
