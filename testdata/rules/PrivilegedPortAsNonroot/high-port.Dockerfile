ARG PORT=8080
FROM gcr.io/distroless/static-debian13:nonroot
ARG PORT
ENV LISTEN_PORT=${PORT}
EXPOSE ${PORT}
COPY app /app
ENTRYPOINT ["/app", "--port", "8080"]
