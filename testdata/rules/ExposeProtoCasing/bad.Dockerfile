FROM debian:trixie-slim
# want +1 "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"
EXPOSE 80/TcP
