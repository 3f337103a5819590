FROM node:20-alpine AS build
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --production
FROM node:20-alpine
COPY --from=build /app /app
CMD ["node", "/app/index.js"]
