FROM debian:trixie-slim
# want +1 "no automatic fix: --unpack is an ADD-only flag"
ADD --unpack=false vendor/ /opt/vendor/
USER 65532
