# want +1 "built on node:22, a build image that carries gcc, make and development headers \\(the full node image is built on buildpack-deps\\).*nodejs22-debian13:nonroot"
FROM node:22
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
