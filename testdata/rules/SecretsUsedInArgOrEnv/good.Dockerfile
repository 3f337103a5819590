FROM debian:trixie-slim
ARG APP_VERSION=1.0
RUN --mount=type=secret,id=api_token cat /run/secrets/api_token > /dev/null
