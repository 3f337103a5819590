FROM python:3.11-slim-bookworm AS build
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
# want +1 "python3-debian12 \\(Python 3.11\\) was removed on 2026-05-11 \\(#2084\\).*use gcr.io/distroless/python3-debian13 \\(not a drop-in: it runs Python 3.13 instead of 3.11, so the build stage"
FROM gcr.io/distroless/python3-debian12
COPY --from=build /venv /venv
