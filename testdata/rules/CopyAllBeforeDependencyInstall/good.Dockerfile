# syntax=docker/dockerfile:1
FROM golang:1.26-trixie AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go mod download && CGO_ENABLED=0 go build -o /out/app .

FROM node:22-trixie AS web
WORKDIR /web
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci && npm run build

FROM golang:1.26-trixie AS unused
COPY . .
RUN go mod download

FROM python:3.13-slim-trixie AS py
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . && npm install -g pnpm

FROM rust:1-trixie AS chef
RUN cargo install cargo-chef --locked
WORKDIR /app
COPY --from=py /app/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
COPY --from=web /web/dist /static
COPY --from=py /app /py
COPY --from=chef /app/target/release/tool /tool
ENTRYPOINT ["/app"]
