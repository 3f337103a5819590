FROM debian:trixie-slim
# want +1 "RUN \\(line 3\\) in stage 0 \\(the shipped image\\) runs `apt-get update` but does not remove /var/lib/apt/lists/\\* in the same RUN"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
COPY app /usr/local/bin/app
USER 65532
ENTRYPOINT ["/usr/local/bin/app"]
