FROM debian:trixie-slim AS build
USER root
RUN echo building as root is fine
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /etc/hostname /x
