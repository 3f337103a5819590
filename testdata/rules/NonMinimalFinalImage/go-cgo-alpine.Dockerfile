FROM golang:1.26-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -tags sqlite_fts5 -o /out/app .
# want +1 "alpine:3.22 is not minimal, but distroless does not fit: the Go binary needs cgo \\(the build uses -tags sqlite_fts5, which needs C code\\) and is built on Alpine"
FROM alpine:3.22
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
