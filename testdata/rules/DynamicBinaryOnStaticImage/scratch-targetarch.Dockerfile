FROM --platform=$BUILDPLATFORM golang:1.25-bookworm AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY . .
# want +1 "into scratch, but CGO_ENABLED is not set and golang:1.25-bookworm ships gcc, so cgo is on \\(GOARCH=\\$TARGETARCH disables cgo only when it differs from the builder's own architecture\\)"
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w" -o /out/ ./cmd/...
FROM scratch
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
