FROM node:22-bookworm-slim AS dev
CMD ["npm", "run", "dev"]
FROM node:22-bookworm-slim
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
