FROM debian:trixie-slim
# want +1 "runs `apt-get install openssl`"
RUN apt-get update \
 && apt-get install -y openssl \
 && rm -rf /var/lib/apt/lists/*
USER 65532
