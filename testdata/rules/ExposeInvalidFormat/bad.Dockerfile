FROM debian:trixie-slim
# want +1 "EXPOSE instruction should not define an IP address or host-port mapping"
EXPOSE 127.0.0.1:80:80
