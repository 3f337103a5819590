FROM golang:1.26-trixie AS build
# want +1 "RUN \\(line 3\\) in build stage \"build\" runs `apt-get install libsqlite3-dev` without --no-install-recommends.*slowing every uncached build"
RUN apt-get update && apt-get -qq install -y libsqlite3-dev
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
