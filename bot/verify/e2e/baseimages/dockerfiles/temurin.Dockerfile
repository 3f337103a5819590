# eclipse-temurin:21-jdk, synthesized from Debian trixie's OpenJDK 21 (the
# official image is Ubuntu noble with Adoptium's Temurin build). JAVA_HOME
# is /opt/java/openjdk as upstream.
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
CMD ["jshell"]
