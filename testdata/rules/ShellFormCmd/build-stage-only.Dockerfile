FROM golang:1.26-trixie AS build
CMD go test ./...
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
CMD ["/app"]
