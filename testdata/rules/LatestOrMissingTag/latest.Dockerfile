# want +1 "golang has no tag, so it means golang:latest"
FROM golang AS build
RUN go build -o /out/app .
# want +1 "debian:latest changes whenever upstream publishes"
FROM debian:latest
COPY --from=build /out/app /app
