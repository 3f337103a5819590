# options: target=final
FROM gcr.io/distroless/static AS unused
FROM gcr.io/distroless/static-debian13:nonroot AS final
COPY app /app
ENTRYPOINT ["/app"]
