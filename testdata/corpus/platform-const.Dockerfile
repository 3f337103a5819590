FROM --platform=linux/amd64 debian:trixie-slim AS amd64
RUN dpkg --print-architecture

FROM --platform=linux/arm64/v8 debian:trixie-slim AS arm64
RUN dpkg --print-architecture

FROM --platform=${TARGETPLATFORM} debian:trixie-slim
COPY --from=amd64 /etc/os-release /amd64-release
COPY --from=arm64 /etc/os-release /arm64-release
