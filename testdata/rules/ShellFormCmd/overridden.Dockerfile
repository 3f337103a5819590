FROM debian:trixie-slim
CMD echo first
# want +1 "CMD \"/usr/bin/server --listen :80\" is in shell form"
CMD /usr/bin/server --listen :80
