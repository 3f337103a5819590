FROM gcr.io/distroless/nodejs22-debian13:nonroot AS base
CMD ["node", "old.js"]
FROM base
COPY app /app
ENTRYPOINT ["/app"]
