# syntax=docker/dockerfile:1.7-labs
FROM node:22-trixie-slim
WORKDIR /app
COPY --chown=node:node --chmod=644 package.json package-lock.json ./
COPY --link --chown=1000:1000 --chmod=755 scripts/ /app/scripts/
COPY --parents src/**/*.js ./
COPY --exclude=*.test.js --exclude=fixtures/ . .
ADD --link --chown=node:node --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/data.json /app/data.json
ADD --keep-git-dir=true https://github.com/example/repo.git#v1.0.0 /app/vendor/repo
USER node
CMD ["node", "src/index.js"]
