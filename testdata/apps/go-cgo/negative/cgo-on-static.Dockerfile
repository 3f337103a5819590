# WRONG: a cgo (dynamically linked) binary on static-debian13, which has no ELF interpreter or libc.
FROM golang:1.26-trixie AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
