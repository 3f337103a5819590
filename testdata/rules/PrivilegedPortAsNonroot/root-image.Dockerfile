FROM gcr.io/distroless/static-debian13
COPY app /app
EXPOSE 80
ENTRYPOINT ["/app", "--port", "80"]
