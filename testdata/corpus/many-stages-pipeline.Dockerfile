# syntax=docker/dockerfile:1
ARG PYTHON=3.13
ARG NODE=22

FROM node:${NODE}-trixie-slim AS frontend
WORKDIR /fe
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY frontend/ .
RUN npm run build

FROM python:${PYTHON}-slim-trixie AS python-base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

FROM python-base AS python-deps
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install --no-cache-dir -r requirements.txt

FROM python-deps AS tests
COPY requirements-dev.txt .
RUN /venv/bin/pip install --no-cache-dir -r requirements-dev.txt
COPY . .
RUN /venv/bin/pytest -q

FROM python-base AS runtime
COPY --from=python-deps /venv /venv
COPY --from=frontend /fe/dist /app/static
COPY app/ /app/app/
USER 65532:65532
EXPOSE 8000
CMD ["/venv/bin/gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"]
