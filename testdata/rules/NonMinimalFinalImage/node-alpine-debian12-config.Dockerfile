# options: debian=12 nonroot=false
# want +1 "node:24-alpine ships.*Node.js app.*use gcr.io/distroless/nodejs24-debian13 as the final image"
FROM node:24-alpine
WORKDIR /app
COPY . .
CMD ["node", "index.js"]
