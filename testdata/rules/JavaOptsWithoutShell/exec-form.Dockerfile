FROM maven:3.9-eclipse-temurin-21 AS build
RUN mvn -B package
FROM gcr.io/distroless/java21-debian13:nonroot
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -Dfile.encoding=UTF-8"
COPY --from=build /target/app.jar /app/app.jar
# want +1 "ENTRYPOINT \\[\"java\", \"\\$JAVA_OPTS\", \"-jar\", \"/app/app.jar\"\\] passes \"\\$JAVA_OPTS\" literally: exec form does no variable expansion, so java takes the literal text as its main class and fails with \"Error: Could not find or load main class \\$JAVA_OPTS\""
ENTRYPOINT ["java", "$JAVA_OPTS", "-jar", "/app/app.jar"]
