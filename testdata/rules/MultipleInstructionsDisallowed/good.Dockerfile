FROM debian:trixie-slim AS a
ENTRYPOINT ["/bin/true"]
FROM a
ENTRYPOINT ["/bin/false"]
