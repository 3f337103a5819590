FROM golang:1.26-trixie AS build
RUN CGO_ENABLED=0 go build -o /out/app .
# want +1 "gcr.io/distroless/static-debian13 runs as root \\(uid 0\\)"
FROM gcr.io/distroless/static-debian13
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
