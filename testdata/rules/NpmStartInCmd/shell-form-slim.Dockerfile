FROM node:22-bookworm-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY server.js ./
# want +1 "CMD \"npm run serve\" starts the app through npm: npm stays in the process tree and does not pass SIGTERM on to node.*run the \"serve\" script's command directly: if package.json's scripts.serve is \"node server.js\" \\(the Dockerfile copies server.js\\), use CMD \\[\"node\", \"server.js\"\\]"
CMD npm run serve
