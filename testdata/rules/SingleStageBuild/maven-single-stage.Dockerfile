FROM maven:3.9-eclipse-temurin-21
WORKDIR /src
COPY . .
# want +1 "runs \"mvn -B package -DskipTests\".*the JDK, mvn and its dependency cache.*gcr.io/distroless/java21-debian13:nonroot"
RUN mvn -B package -DskipTests
CMD ["java", "-jar", "target/app.jar"]
