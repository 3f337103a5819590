FROM node:22-trixie-slim
WORKDIR /app
COPY package.json package-lock.json ./
# want +1 "RUN \\(line 5\\) in stage 0 \\(the shipped image\\) runs `npm ci`, which installs devDependencies too \\(no --omit=dev and NODE_ENV is not production\\).*use `npm ci --omit=dev`"
RUN npm ci
COPY . .
RUN npm run build
USER node
CMD ["node", "dist/server.js"]
