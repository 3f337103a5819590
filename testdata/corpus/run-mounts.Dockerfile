# syntax=docker/dockerfile:1
FROM python:3.13-slim-trixie AS build
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends build-essential
RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf,required \
    --mount=type=secret,id=token,env=INDEX_TOKEN \
    --mount=type=cache,target=/root/.cache/pip,id=pip-${TARGETARCH} \
    --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt \
    pip install --prefix=/install -r /tmp/requirements.txt
RUN --mount=type=ssh \
    --mount=type=tmpfs,target=/tmp,size=64m \
    --network=none \
    python -c "print('offline step')"
RUN --mount=type=bind,from=ghcr.io/astral-sh/uv:0.9,source=/uv,target=/bin/uv \
    uv --version
RUN --network=host pip download -d /wheels flask

FROM python:3.13-slim-trixie
COPY --from=build /install /usr/local
USER 65532
