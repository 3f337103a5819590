FROM golang:1.26-trixie AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/start ./cmd/start
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/start /start
ENTRYPOINT ["/start"]
CMD ["--config", "/etc/app.sh.conf"]
