FROM gcr.io/distroless/java17-debian13
ENV JAVA_OPTS -Xmx512m
COPY app.jar /app.jar
# want +1 "CMD uses \\$JAVA_OPTS in shell form, but gcr.io/distroless/java17-debian13 has no shell to expand it"
CMD java ${JAVA_OPTS} -jar /app.jar
