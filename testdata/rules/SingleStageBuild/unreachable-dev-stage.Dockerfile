# options: target=runtime
FROM golang:1.26-trixie AS dev
RUN go build -o /app . && go test ./...
FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go build -o /out/app .
FROM gcr.io/distroless/static-debian13:nonroot AS runtime
COPY --from=build /out/app /app
FROM dev AS debug
ENTRYPOINT ["/app"]
