# want +1 "'as' and 'FROM' keywords' casing do not match"
FROM golang:1.26-trixie as build
RUN go version
