FROM golang:1.26-trixie AS base
WORKDIR /src
COPY . .

FROM base AS test
RUN go test ./...

FROM base AS lint
RUN go vet ./...

FROM base AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM golang:1.26-trixie AS dev
RUN go install github.com/air-verse/air@latest
CMD ["air"]

FROM gcr.io/distroless/static-debian13:nonroot AS prod
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
