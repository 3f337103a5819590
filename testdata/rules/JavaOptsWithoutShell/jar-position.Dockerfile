FROM gcr.io/distroless/java25-debian13:nonroot
COPY app.jar /app/app.jar
# want +1 "java -jar takes it as the jar and fails with \"Error: Unable to access jarfile \\$\\{JAVA_OPTS\\}\".*the value is not set in the Dockerfile"
CMD ["${JAVA_OPTS}", "/app/app.jar"]
