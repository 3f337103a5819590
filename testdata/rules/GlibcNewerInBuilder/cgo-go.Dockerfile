FROM golang:1.26 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/base-debian12:nonroot
# want +1 "copies a Go binary linked with cgo from golang:1.26 \\(Debian 13 trixie"
COPY --from=build /out/app /app
