FROM node:22-bookworm AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
FROM python:3.13-slim-trixie AS docs
RUN pip install mkdocs && mkdocs build -d /site
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
COPY --from=docs /site /usr/share/nginx/html/docs
