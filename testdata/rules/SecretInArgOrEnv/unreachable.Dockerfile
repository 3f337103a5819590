FROM golang:1.26-trixie AS debug
# A stage the target never builds still commits the secret to the repository.
# want +1 "ARG GITLAB_TOKEN holds a GitLab token \\(glpat-…\\)"
ARG GITLAB_TOKEN=glpat-AbCdEfGhIjKlMnOpQrSt
RUN go install github.com/go-delve/delve/cmd/dlv@latest

FROM gcr.io/distroless/static-debian13:nonroot
COPY app /app
