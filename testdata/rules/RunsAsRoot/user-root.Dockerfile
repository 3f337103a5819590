FROM gcr.io/distroless/base-debian13:nonroot
COPY app /app
# want +1 "USER root makes the image run as root"
USER root
ENTRYPOINT ["/app"]
