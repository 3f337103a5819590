FROM debian:trixie-slim
# want +1 "RUN \\(line 3\\) in stage 0 \\(the shipped image\\) runs `apt-get install curl` without --no-install-recommends, so apt also installs every recommended package: more megabytes and more CVEs"
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
USER 65532
