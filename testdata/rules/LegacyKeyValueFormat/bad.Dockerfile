FROM debian:trixie-slim
# want +1 "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format"
ENV PORT 8080
