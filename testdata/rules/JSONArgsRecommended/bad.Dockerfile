FROM golang:1.26-trixie AS build
# The build stage's CMD is not shipped, so only BuildKit's rule applies here.
# want +1 "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"
CMD go test ./...
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /go/bin/app /app
ENTRYPOINT ["/app"]
