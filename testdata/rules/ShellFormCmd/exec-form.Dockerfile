FROM gcr.io/distroless/nodejs22-debian13:nonroot
COPY server.js /app/server.js
CMD ["/app/server.js"]
