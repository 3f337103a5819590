FROM debian:trixie-slim AS base
# A stage built on this layer installs without updating, so removing the
# lists here would break it: report, but offer no fix.
# want +1 "in stage \"base\" \\(the shipped image is built FROM it\\).*no automatic fix: the RUN at line 8"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates

FROM base AS build
RUN apt-get install -y --no-install-recommends gcc libc6-dev

FROM base
USER 65532
