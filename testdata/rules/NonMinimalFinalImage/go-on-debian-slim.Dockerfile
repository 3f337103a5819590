FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
# want +1 "debian:trixie-slim ships a shell, a package manager and OS packages that the Go app does not need at run time.*use gcr.io/distroless/static-debian13:nonroot as the final image \\(build with CGO_ENABLED=0\\)"
FROM debian:trixie-slim
COPY --from=build /out/app /usr/local/bin/app
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/app"]
