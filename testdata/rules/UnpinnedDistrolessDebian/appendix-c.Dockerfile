FROM golang:1.26-trixie AS build
WORKDIR /src
COPY . .
RUN go build -o /app/myapp .
# want +1 "gcr.io/distroless/base has no Debian suffix: the untagged name meant Debian 11 until 2024-04-19, Debian 12 until 2026-01-30, Debian 13 since 2026-01-30.*pin gcr.io/distroless/base-debian13$"
FROM gcr.io/distroless/base
COPY --from=build /app/myapp .
CMD ["./myapp"]
