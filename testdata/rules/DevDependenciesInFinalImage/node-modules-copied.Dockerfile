FROM node:22-trixie AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build /app/dist ./dist
# want +1 "COPY --from=build /app/node_modules copies /app/node_modules that stage \"build\" installed with `npm ci` \\(line 4\\), which installs devDependencies too"
COPY --from=build /app/node_modules ./node_modules
CMD ["dist/server.js"]
