FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go build -o /out/server .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/server /server
# want +1 "EXPOSE 80/tcp in an image that runs as uid 65532 \\(gcr.io/distroless/static-debian13:nonroot\\): binding it as non-root works on Docker 20.10\\+ and containerd 2.*fails with \"permission denied\" on CRI-O, rootless Podman and with --network host; listen on 8080"
EXPOSE 80/tcp 9090
# want +1 "ENTRYPOINT listens on port 443 \\(\"--listen :443\"\\)"
ENTRYPOINT ["/server", "--listen", ":443"]
