FROM python:3.13-slim-trixie AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen

FROM python:3.13-slim-trixie AS prod
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

FROM python:3.13-slim-trixie
# want +1 "COPY --from=build /app/.venv copies /app/.venv that stage \"build\" installed with `uv sync --frozen` \\(line 5\\), which installs the dev dependency group too"
COPY --from=build /app/.venv /app/.venv
COPY --from=prod /app/.venv /prod/.venv
USER 65532
