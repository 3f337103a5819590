FROM debian:trixie-slim
# want +4 "Empty continuation line"
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates && \

    rm -rf /var/lib/apt/lists/*
