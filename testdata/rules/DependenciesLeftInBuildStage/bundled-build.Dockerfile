FROM node:22-bookworm AS build
WORKDIR /app
COPY . .
# want +1 "installs into /app/node_modules of stage \"build\".*that works only if the build bundles every dependency"
RUN npm ci && npm run build
FROM gcr.io/distroless/nodejs22-debian13:nonroot
COPY --from=build /app/dist /app/dist
CMD ["/app/dist/main.js"]
