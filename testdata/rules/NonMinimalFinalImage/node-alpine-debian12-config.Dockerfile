# options: debian=12 nonroot=false
# want +1 "node:24-alpine ships.*Node.js app.*`distill fix` converts it to gcr.io/distroless/nodejs24-debian13"
FROM node:24-alpine
WORKDIR /app
COPY . .
CMD ["node", "index.js"]
