FROM --platform=$BUILDPLATFORM debian:trixie-slim
