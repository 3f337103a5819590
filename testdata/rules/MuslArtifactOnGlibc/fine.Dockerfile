FROM golang:1.26-alpine AS build
RUN go build -o /out/app .
FROM rust:1-alpine AS rs
RUN cargo build --release
FROM node:22-alpine AS assets
RUN npm ci && npm run build
FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/app /app
COPY --from=rs /target/release/r /r
COPY --from=assets /dist /static
