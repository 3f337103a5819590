FROM debian:trixie-slim AS unused
ADD app /app

FROM debian:trixie-slim
ARG RELEASE=1.2.3
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/
ADD git@github.com:example/repo.git /src/repo
ADD https://github.com/example/repo.git#v1.0 /src/other
ADD rootfs.tar.gz /
ADD vendor.tar /opt/vendor/
ADD dist/app-${RELEASE}.tar.xz /opt/
ADD archives/* /opt/archives/
COPY app /app
USER 65532
