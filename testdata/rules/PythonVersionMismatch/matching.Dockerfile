FROM python:3.13-slim-trixie AS build
RUN ln -s /usr/local/bin/python /usr/bin/python && /usr/bin/python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install --no-cache-dir -r requirements.txt
FROM node:20-bookworm AS assets
RUN npm ci && npm run build
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY --from=assets /dist /app/static
COPY . /app
WORKDIR /app
ENTRYPOINT ["/venv/bin/python3", "main.py"]
