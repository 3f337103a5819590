FROM debian:trixie-slim
# want +1 "removing them in the later RUN \\(line 4\\) does not shrink the image.*no automatic fix: the RUN at line 4 installs packages without its own apt-get update"
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER 65532
