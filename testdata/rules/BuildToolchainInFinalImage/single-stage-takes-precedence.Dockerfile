FROM golang:1.26-trixie
WORKDIR /src
COPY . .
RUN go build -o /app .
ENTRYPOINT ["/app"]
