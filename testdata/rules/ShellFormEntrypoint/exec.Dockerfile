FROM gcr.io/distroless/static-debian13:nonroot
COPY app /app
ENTRYPOINT ["/app"]
