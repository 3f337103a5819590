FROM node:22-bookworm AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build /app /app
# want +1 "CMD \"npm start\" needs npm, but gcr.io/distroless/nodejs22-debian13:nonroot has only /nodejs/bin/node \\(no npm, npx, yarn or corepack\\): the container fails with \"Cannot find module '/app/npm'\"; look up scripts.start in package.json \\(e.g. \"node dist/main.js\"\\) and run that file directly: CMD \\[\"dist/main.js\"\\]"
CMD ["npm", "start"]
