# want +1 "gcr.io/distroless/static-debian11 is no longer maintained: all Debian 11 builds were removed on 2024-09-03.*use gcr.io/distroless/static-debian13$"
FROM gcr.io/distroless/static-debian11
COPY app /app
