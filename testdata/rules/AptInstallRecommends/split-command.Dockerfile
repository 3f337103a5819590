FROM debian:trixie-slim
# "apt-get" and "install" on different lines: the fix cannot be placed
# with certainty, so none is offered.
# want +1 "runs `apt-get install jq`"
RUN apt-get update && apt-get \
      install -y jq && rm -rf /var/lib/apt/lists/*
USER 65532
