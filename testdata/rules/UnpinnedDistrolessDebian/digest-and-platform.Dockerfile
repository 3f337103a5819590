# want +1 "gcr.io/distroless/cc@sha256:222222222222… has no Debian suffix.*pin gcr.io/distroless/cc-debian13 \\(the digest fixes one image"
FROM --platform=linux/arm64 gcr.io/distroless/cc@sha256:2222222222222222222222222222222222222222222222222222222222222222
COPY app /app
