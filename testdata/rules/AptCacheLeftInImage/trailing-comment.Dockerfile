FROM debian:trixie-slim
# The fix would land inside the shell comment, so none is offered.
# want +1 "runs `apt-get update`"
RUN apt-get update && apt-get install -y --no-install-recommends jq # for the healthcheck
USER 65532
