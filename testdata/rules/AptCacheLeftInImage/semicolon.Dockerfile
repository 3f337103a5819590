FROM debian:trixie-slim
# want +1 "runs `apt-get update`"
RUN apt-get update; apt-get install -y --no-install-recommends jq;
USER 65532
