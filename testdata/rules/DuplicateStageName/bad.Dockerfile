FROM golang:1.26-trixie AS build
RUN go version
# want +1 "Duplicate stage name \"build\""
FROM golang:1.26-trixie AS build
RUN go env
