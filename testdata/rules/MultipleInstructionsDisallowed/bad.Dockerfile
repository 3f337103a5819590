FROM debian:trixie-slim
# want +1 "Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used"
ENTRYPOINT ["/bin/true"]
ENTRYPOINT ["/bin/false"]
