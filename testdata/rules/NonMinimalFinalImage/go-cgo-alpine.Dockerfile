FROM golang:1.26-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -tags sqlite_fts5 -o /out/app .
# want +1 "alpine:3.22 ships.*use gcr.io/distroless/base-debian13:nonroot as the final image \\(not static: the build tag sqlite_fts5 means cgo; gcr.io/distroless/cc-debian13:nonroot if C\\+\\+ libraries are linked\\)"
FROM alpine:3.22
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
