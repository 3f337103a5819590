ARG DISTROLESS=gcr.io/distroless/static-debian13
ARG VARIANT
FROM ${DISTROLESS}:nonroot AS a
FROM gcr.io/distroless/${VARIANT} AS b
FROM gcr.io/distroless/java:11 AS c
FROM gcr.io/distroless/nodejs20
COPY --from=a /x /x
COPY --from=b /y /y
COPY --from=c /z /z
