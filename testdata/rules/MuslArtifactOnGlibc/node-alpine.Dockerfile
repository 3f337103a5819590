FROM node:22-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
FROM gcr.io/distroless/nodejs22-debian13:nonroot
# want +1 "COPY --from=build /app copies node_modules from stage \"build\", built on node:22-alpine with musl, into gcr.io/distroless/nodejs22-debian13:nonroot, which has glibc: native addons"
COPY --from=build /app /app
CMD ["/app/server.js"]
