FROM debian:trixie-slim
# The comment lines below sit inside the RUN: BuildKit drops them from the
# command, but they are part of the instruction's line span.
RUN set -eux; \
    apt-get update; \
    # tools for the build
    apt-get install -y --no-install-recommends \
        # TLS roots
        ca-certificates \
        # fetching
        curl \
#       commented-out package at column 0
        xz-utils; \
    \
    rm -rf /var/lib/apt/lists/*
RUN echo one \

    && echo "after an empty continuation line"
USER 65532
