FROM node:22-bookworm AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build /app /app
# want +1 "CMD \\[\"node\", \"server.js\"\\] repeats node, which the ENTRYPOINT of gcr.io/distroless/nodejs22-debian13:nonroot already runs: the container runs \"/nodejs/bin/node node server.js\" and fails with \"Error: Cannot find module '/app/node'\"; CMD holds only the arguments: CMD \\[\"server.js\"\\]"
CMD ["node", "server.js"]
