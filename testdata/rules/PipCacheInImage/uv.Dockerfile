FROM python:3.13-slim-trixie
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
# want +1 "runs `uv pip install --system -r requirements.txt` without --no-cache, so the uv cache \\(/root/.cache/uv\\)"
RUN uv pip install --system -r requirements.txt
USER 65532
