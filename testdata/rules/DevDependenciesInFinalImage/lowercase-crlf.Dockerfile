from node:22-trixie-slim
workdir /app
copy package.json yarn.lock ./
# want +1 "runs `yarn`, which installs devDependencies too"
run yarn \
  # keep the lockfile honest
  && yarn cache clean
user node
cmd ["node", "index.js"]
