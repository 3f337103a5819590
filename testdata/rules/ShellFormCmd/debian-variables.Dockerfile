FROM debian:trixie-slim
ENV PORT=8080
# want +1 "is in shell form: it runs under /bin/sh -c.*uses shell features"
CMD ./server --port $PORT
