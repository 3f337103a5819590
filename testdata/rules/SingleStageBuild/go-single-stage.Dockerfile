FROM golang:1.22
WORKDIR /src
COPY . .
# want +1 "stage 0 is both the build and the shipped image: line 5 runs \"go build -o /app .\".*the Go toolchain.*gcr.io/distroless/static-debian13:nonroot \\(build with CGO_ENABLED=0\\)"
RUN go build -o /app .
EXPOSE 8080
ENTRYPOINT ["/app"]
