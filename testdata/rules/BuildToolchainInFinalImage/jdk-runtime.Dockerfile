FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B package
# want +1 "the shipped image is built on eclipse-temurin:21, a build image that carries a full JDK \\(javac, jlink\\).*build in a separate stage and copy only the jar into gcr.io/distroless/java21-debian13:nonroot"
FROM eclipse-temurin:21
COPY --from=build /src/target/app.jar /app/app.jar
CMD ["java", "-jar", "/app/app.jar"]
