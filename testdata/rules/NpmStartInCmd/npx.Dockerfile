FROM node:24-alpine
WORKDIR /app
COPY . .
# want +1 "ENTRYPOINT \"npx next start\" starts the app through npx.*npx runs node_modules/.bin/next, a #!/usr/bin/env node script"
ENTRYPOINT ["npx", "next", "start"]
