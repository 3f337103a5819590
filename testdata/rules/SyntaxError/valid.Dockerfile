FROM golang:1.26-trixie AS build
RUN <<EOF
go build -o /out/app .
EOF
