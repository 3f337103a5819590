FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=busybox:1.37-musl /bin/wget /usr/bin/wget
COPY app /app
HEALTHCHECK CMD ["/usr/bin/wget", "-q", "--spider", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/app"]
