FROM golang:1.26-trixie AS build
# want +1 "BuildKit cannot parse this Dockerfile: unterminated heredoc"
RUN <<EOF
go build -o /out/app .
