# options: target=final
FROM gcr.io/distroless/java11-debian11 AS old
FROM gcr.io/distroless/static-debian13:debug-nonroot-arm64 AS a
FROM gcr.io/distroless/base-debian13:nonroot-0123456789abcdef0123456789abcdef01234567 AS b
FROM gcr.io/distroless/static-debian13:nonroot AS final
COPY --from=a /x /x
COPY --from=b /y /y
