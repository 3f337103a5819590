FROM node:20-alpine
WORKDIR /app
COPY . .
# want +1 "runs \"npm run build\".*dev dependencies and build tooling.*nodejs22-debian13:nonroot \\(Node.js 20 has no distroless image, so build and runtime move to Node.js 22 together"
RUN npm ci && npm run build
CMD ["node", "dist/main.js"]
