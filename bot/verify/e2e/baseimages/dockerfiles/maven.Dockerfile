# maven:3.9-eclipse-temurin-21, synthesized: the eclipse-temurin recipe
# (identical lines, so BuildKit shares its layers) plus Debian's maven.
FROM debian:trixie
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates openjdk-21-jdk-headless \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/java \
 && ln -s /usr/lib/jvm/java-21-openjdk-amd64 /opt/java/openjdk
ARG JAVA_VERSION
ENV JAVA_HOME=/opt/java/openjdk LANG=C.UTF-8 JAVA_VERSION=${JAVA_VERSION}
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN java -version && javac -version
RUN apt-get update \
 && apt-get install -y --no-install-recommends maven \
 && rm -rf /var/lib/apt/lists/* \
 && mvn -version
ENV MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2
CMD ["mvn"]
