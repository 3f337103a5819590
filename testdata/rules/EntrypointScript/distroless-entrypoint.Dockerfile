FROM node:22-bookworm AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
FROM gcr.io/distroless/nodejs22-debian13:nonroot
COPY docker/entrypoint.sh /entrypoint.sh
COPY --from=build /app /app
# want +1 "ENTRYPOINT runs the shell script /entrypoint.sh \\(COPY'd from docker/entrypoint.sh on line 6; it receives CMD as its arguments.*\\), but gcr.io/distroless/nodejs22-debian13:nonroot has no shell: the container fails with \"exec user process caused: no such file or directory\""
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/app/server.js"]
