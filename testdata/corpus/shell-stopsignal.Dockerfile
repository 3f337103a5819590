FROM debian:trixie-slim
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN echo "running under bash: ${BASH_VERSION}" | tee /tmp/shell.txt
SHELL ["/bin/sh", "-c"]
STOPSIGNAL SIGQUIT
STOPSIGNAL 15
CMD ["sleep", "infinity"]
