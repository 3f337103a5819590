FROM debian:trixie-slim
RUN useradd -u 10001 app
USER 10001:10001
CMD ["/bin/true"]
