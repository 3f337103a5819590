FROM node:22-bookworm AS build
WORKDIR /usr/src/app
COPY package*.json ./
# want +1 "\"npm ci --omit=dev\" installs into /usr/src/app/node_modules of stage \"build\", but the shipped image copies only /usr/src/app/server.js, /usr/src/app/lib from it \\(line 8\\): the packages stay behind and require\\(\\) fails with \"Cannot find module\""
RUN npm ci --omit=dev
COPY . .
FROM gcr.io/distroless/nodejs22-debian13:nonroot
COPY --from=build /usr/src/app/server.js /usr/src/app/lib /app/
CMD ["/app/server.js"]
