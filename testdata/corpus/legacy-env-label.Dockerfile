FROM ubuntu:24.04
MAINTAINER Jane Doe <jane@example.com>
ENV DEBIAN_FRONTEND noninteractive
ENV APP_HOME /opt/app with spaces
LABEL version 1.0
LABEL description "legacy label with a space separated value"
ENV PATH=/opt/app/bin:$PATH LANG=C.UTF-8
LABEL org.opencontainers.image.title="app" \
      org.opencontainers.image.description="multi-line \
labels continue here" \
      "com.example.quoted key"="value"
RUN echo "$APP_HOME"
