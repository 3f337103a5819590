FROM debian:trixie-slim
ARG WITH_GIT=0
# want +1 "runs `apt-get update`"
RUN if [ "$WITH_GIT" = 1 ]; then \
      apt-get update && apt-get install -y --no-install-recommends git; \
    fi
USER 65532
