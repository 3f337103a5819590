From node:22-trixie-slim AS Deps
WorkDir /app
Copy package.json package-lock.json ./
Run npm ci --omit=dev
FROM node:22-trixie-slim
WORKDIR /app
cOpY --from=Deps /app/node_modules ./node_modules
Copy . .
uSeR node
Cmd ["node", "index.js"]
