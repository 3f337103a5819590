# Every way of keeping the lists out of the layer, and stages that do not ship.
FROM debian:trixie-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc
RUN apt-get update

FROM debian:trixie-slim AS unused
RUN apt-get update

FROM debian:trixie-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends jq
RUN apt-get update && apt-get install -y --no-install-recommends git && apt-get distclean
RUN apt-get update && apt-get install -y --no-install-recommends tini \
 && find /var/lib/apt/lists -type f -delete
RUN ["apt-get", "install", "-y", "--no-install-recommends", "ca-certificates"]
RUN apt-get install -y --no-install-recommends netbase
COPY --from=build /usr/bin/gcc /usr/local/bin/gcc
USER 65532
