FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go build -o /out/server .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/server /server
# want +1 "ENTRYPOINT \"/server --port 8080\" is in shell form, but .* has no /bin/sh"
ENTRYPOINT /server --port 8080
