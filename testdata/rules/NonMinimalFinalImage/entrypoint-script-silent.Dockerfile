FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go build -o /out/app .
FROM debian:trixie-slim
COPY --from=build /out/app /app
COPY docker-entrypoint.sh /
ENTRYPOINT ["/docker-entrypoint.sh"]
