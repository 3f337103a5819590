from debian:trixie-slim as base
arg EXTRA=""
# want +1 "in stage \"base\" \\(the shipped image is built FROM it\\) runs `apt-get install \\$EXTRA`"
run if [ -n "$EXTRA" ]; then \
      apt-get update && apt-get install --yes $EXTRA && rm -rf /var/lib/apt/lists/*; \
    fi
from base
user 65532
