from maven:3.9-eclipse-temurin-21 as build
workdir /build
# want +1 "copy \\. \\. \\(line 4\\) in stage \"build\" copies the whole build context before `mvn -B dependency:go-offline` \\(line 5\\).*copy pom.xml first"
copy . .
run mvn -B dependency:go-offline
run mvn -B -o package -DskipTests

from gcr.io/distroless/java21-debian13:nonroot
copy --from=build /build/target/app.jar /app.jar
cmd ["/app.jar"]
