from golang:1.26-trixie as build
workdir /src
copy go.mod go.sum ./
run go mod download
copy . .
run cgo_enabled=0 go build -o /out/app . \
 && echo built
from gcr.io/distroless/static-debian13:nonroot
copy --from=build /out/app /app
user 65532:65532
expose 8080/tcp
entrypoint ["/app"]
