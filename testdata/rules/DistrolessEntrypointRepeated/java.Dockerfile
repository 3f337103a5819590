FROM gcr.io/distroless/java21-debian13@sha256:3333333333333333333333333333333333333333333333333333333333333333
COPY app.jar /app/app.jar
# want +1 "runs \"/usr/bin/java -jar java -jar /app/app.jar\" and fails with \"Error: Unable to access jarfile java\""
CMD ["java", "-jar", "/app/app.jar"]
