ARG CGO=0
FROM golang:1.26-trixie AS a
ENV CGO_ENABLED=0
RUN go build -o /out/a .
FROM golang:1.26-trixie AS b
ARG CGO_ENABLED
RUN go build -o /out/b .
FROM golang:1.26-alpine AS c
RUN go build -o /out/c .
FROM golang:1.26-trixie AS d
RUN go build -tags netgo,osusergo -o /out/d . && export CGO_ENABLED=0
FROM golang:1.26-trixie AS e
RUN go env -w CGO_ENABLED=0
RUN go build -o /out/e .
FROM rust:1-alpine AS f
RUN cargo build --release
FROM golang:1.26-trixie AS g
RUN go build -o /out/g .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=a /out/a /a
COPY --from=b /out/b /b
COPY --from=c /out/c /c
COPY --from=d /out/d /d
COPY --from=e /out/e /e
COPY --from=f /target/release/f /f
COPY --from=g /etc/ssl/certs /etc/ssl/certs
