FROM golang:1.26-trixie AS build
WORKDIR /src
COPY . .
# want +1 "COPY --from=build /src/myapp \\(line 7\\) copies the Go binary built here \\(\"go build -o myapp .\"\\) into gcr.io/distroless/static-debian13:nonroot, but CGO_ENABLED is not set and golang:1.26-trixie ships gcc, so cgo is on.*fails with \"exec /myapp: no such file or directory\""
RUN go mod download && go build -o myapp .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /src/myapp /myapp
CMD ["/myapp"]
