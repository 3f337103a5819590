FROM node:22-trixie-slim AS node-onbuild
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN npm ci --omit=dev
ONBUILD COPY . .
ONBUILD ENV NODE_ENV=production
ONBUILD ARG BUILD_ID
ONBUILD LABEL build.id=$BUILD_ID
CMD ["node", "server.js"]
