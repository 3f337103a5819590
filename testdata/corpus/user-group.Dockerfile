FROM debian:trixie-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app
USER app:app
WORKDIR /home/app
USER 10001:10001
USER root
RUN chown -R 10001:10001 /home/app
USER 10001
