# syntax=docker/dockerfile:1.7
# check=skip=StageNameCasing,JSONArgsRecommended;error=false
FROM golang:1.26-trixie AS Build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=Build /out/app /app
CMD /app --serve
