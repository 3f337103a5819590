FROM gcr.io/distroless/cc-debian13:nonroot AS final
# want +1 "SHELL \\[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"\\] names /bin/bash, but gcr.io/distroless/cc-debian13:nonroot has no shell"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY app /app
# want +1 "HEALTHCHECK runs /usr/bin/wget, which gcr.io/distroless/cc-debian13:nonroot does not contain"
HEALTHCHECK CMD ["/usr/bin/wget", "-q", "--spider", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/app"]
