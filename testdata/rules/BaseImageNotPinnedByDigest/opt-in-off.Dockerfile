FROM golang:1.26-trixie AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
