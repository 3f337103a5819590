FROM eclipse-temurin:21-jre
ENV JAVA_OPTS=-Xmx1g
COPY app.jar /app.jar
CMD java $JAVA_OPTS -jar /app.jar
