FROM debian:trixie-slim
# want +1 "Relative workdir \"app\" can have unexpected results if the base image changes"
WORKDIR app
