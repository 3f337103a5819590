# want +1 "eclipse-temurin:21-jre@sha256:111111111111… ships .*Java app.*gcr.io/distroless/java21-debian13:nonroot"
FROM eclipse-temurin:21-jre@sha256:1111111111111111111111111111111111111111111111111111111111111111
COPY target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
