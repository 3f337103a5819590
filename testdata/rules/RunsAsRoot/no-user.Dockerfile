# want +1 "no USER is set, so the image runs as node:22-bookworm-slim's default user, root"
FROM node:22-bookworm-slim
COPY . /app
CMD ["node", "/app/server.js"]
