FROM eclipse-temurin:21-jre
COPY app.jar /app.jar
# want +1 "the program receives the literal text as an argument and the JVM flags never apply"
ENTRYPOINT ["java", "-jar", "/app.jar", "$JAVA_OPTS"]
