FROM golang:1.26 AS go
RUN CGO_ENABLED=0 go build -o /out/app .
FROM maven:3.9-eclipse-temurin-21 AS jar
RUN mvn -B package
FROM rust:1-trixie AS rs
RUN cargo build --release
FROM gcr.io/distroless/cc-debian13:nonroot AS final
COPY --from=go /out/app /app
COPY --from=jar /target/app.jar /app.jar
COPY --from=rs /target/release/x /x
