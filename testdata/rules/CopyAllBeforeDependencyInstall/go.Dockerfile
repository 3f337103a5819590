FROM golang:1.26-trixie AS build
WORKDIR /src
# want +1 "COPY \\. \\. \\(line 4\\) in stage \"build\" copies the whole build context before `go mod download` \\(line 5\\).*copy go.mod go.sum first"
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
