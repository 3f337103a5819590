FROM debian:trixie-slim
RUN apt-get update && \
    # a comment line inside a continuation is fine
    apt-get install -y --no-install-recommends ca-certificates && \
    rm -rf /var/lib/apt/lists/*
