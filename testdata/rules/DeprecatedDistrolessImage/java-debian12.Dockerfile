FROM maven:3.9-eclipse-temurin-17 AS build
RUN mvn -B package
# want +1 "gcr.io/distroless/java17-debian12:nonroot is no longer maintained: the Debian 12 Java images were removed on 2026-02-27 \\(commit b80e2842\\); it still pulls.*use gcr.io/distroless/java17-debian13:nonroot$"
FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build /target/app.jar /app.jar
CMD ["/app.jar"]
