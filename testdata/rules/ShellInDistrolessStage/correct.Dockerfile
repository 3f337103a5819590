# options: target=final
FROM node:22-bookworm AS build
WORKDIR /app
RUN npm ci --omit=dev
FROM gcr.io/distroless/nodejs22-debian13:nonroot AS final
COPY --from=build /app /app
COPY --from=busybox:1.37-musl /bin/wget /usr/bin/wget
HEALTHCHECK CMD ["/nodejs/bin/node", "-e", "require('http').get('http://127.0.0.1:3000/health', r => process.exit(r.statusCode == 200 ? 0 : 1))"]
CMD ["/app/server.js"]
FROM gcr.io/distroless/base-debian13 AS unused
RUN echo never built
