FROM node:22-trixie-slim AS node
RUN npm install -g pnpm@9

FROM golang:1.26-trixie AS golang
RUN go version

# "node" now means the stage above, not the Docker Hub image.
FROM node AS app
COPY --from=golang /usr/local/go/bin/gofmt /usr/local/bin/
CMD ["pnpm", "start"]
