# want +1 "gcr.io/distroless/static-debian14:nonroot does not exist: static is published only for Debian 12 and 13.*use gcr.io/distroless/static-debian13:nonroot"
FROM gcr.io/distroless/static-debian14:nonroot
COPY app /app
