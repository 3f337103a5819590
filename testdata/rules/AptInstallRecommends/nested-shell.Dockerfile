FROM ubuntu:24.04
# want +1 "runs `apt-get install git`"
RUN sh -c "apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*"
USER 65532
