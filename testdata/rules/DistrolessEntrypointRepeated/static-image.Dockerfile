FROM gcr.io/distroless/static-debian13:nonroot
COPY node /node
CMD ["node", "x.js"]
