# want +1 "gcr.io/distroless/nodejs20-debian12:nonroot \\(build stage \"assets\"\\) is no longer maintained.*use gcr.io/distroless/nodejs22-debian13:nonroot \\(not a drop-in: the build stage must move to the same Node.js major 22\\)"
FROM gcr.io/distroless/nodejs20-debian12:nonroot AS assets
# want +1 "gcr.io/distroless/java:11 is no longer maintained: there is no maintained unversioned gcr.io/distroless/java image.*use java17-debian13, java21-debian13 or java25-debian13"
FROM gcr.io/distroless/java:11
COPY --from=assets /x /x
