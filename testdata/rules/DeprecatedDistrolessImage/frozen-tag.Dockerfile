# want +1 "gcr.io/distroless/base-debian13:v1.2 uses the tag \"v1.2\", which distroless no longer updates"
FROM gcr.io/distroless/base-debian13:v1.2
COPY app /app
