FROM node:22-trixie AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-trixie AS pnpm
WORKDIR /app
RUN corepack enable && pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:22-trixie AS dev
RUN npm install

FROM node:22-trixie-slim AS base
ENV NODE_ENV=production
WORKDIR /app
RUN npm ci

FROM base
COPY --from=build /app/node_modules ./node_modules
COPY --from=pnpm /app/node_modules ./pnpm_modules
COPY --from=build /app/dist ./dist
RUN npm install --omit=dev --no-audit
RUN yarn install --production --frozen-lockfile
RUN npm install -g pm2 && npm install express
USER node
CMD ["node", "dist/server.js"]
