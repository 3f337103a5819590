FROM debian:trixie-slim
COPY app /usr/local/bin/app
USER 65532
ENTRYPOINT ["/usr/local/bin/app"]