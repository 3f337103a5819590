FROM gcr.io/distroless/java21-debian13:nonroot
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
COPY app.jar /app/app.jar
CMD ["/app/app.jar"]
