# syntax=docker/dockerfile:1
FROM python:3.13-slim-trixie AS build
# A build stage's cache that is not copied out does not matter.
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt

FROM python:3.13-slim-trixie AS unused
RUN pip install flask

FROM python:3.13-slim-trixie AS envoff
ENV PIP_NO_CACHE_DIR=off
RUN pip install flask

FROM envoff
COPY --from=build /venv /venv
RUN pip install --no-cache-dir gunicorn
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
RUN --mount=type=cache,target=/root/.cache pip install uvicorn
RUN PIP_NO_CACHE_DIR=1 pip install requests
RUN pip install httpx && pip cache purge
RUN pip install rich && rm -rf /root/.cache
RUN pip install click; rm -rf ~/.cache/pip
RUN uv pip install --system --no-cache pydantic
RUN pip download -d /wheels flask
USER 65532
