FROM python:3.13-slim-trixie AS base
ENV POETRY_VIRTUALENVS_CREATE=false
ARG APP_ENV=production
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==2.1.3
# want +1 "stage \"base\" \\(the shipped image is built FROM it\\) runs `poetry install --no-root --no-interaction`, which installs every non-optional dependency group, dev included.*use `poetry install --only main`"
RUN poetry install --no-root --no-interaction
RUN poetry install --only main --no-root
RUN poetry install --without dev,test --no-root
RUN if [ "$APP_ENV" = production ]; then \
      poetry install --only=main; \
    else \
      poetry install; \
    fi

FROM base
USER 65532
