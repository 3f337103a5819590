FROM node:22-trixie AS deps
WORKDIR /srv/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

FROM deps AS build
COPY . .
RUN yarn build

FROM gcr.io/distroless/nodejs22-debian13:nonroot
# want +1 "COPY --from=build /srv/app copies /srv/app/node_modules that stage \"deps\" installed with `yarn install --frozen-lockfile` \\(line 4\\)"
COPY --from=build /srv/app /app
CMD ["/app/dist/server.js"]
