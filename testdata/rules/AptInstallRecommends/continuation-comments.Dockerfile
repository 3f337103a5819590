FROM python:3.13-slim-trixie AS build
# want +1 "in build stage \"build\" runs `apt-get install build-essential libpq-dev`"
RUN set -eux; \
    apt-get update; \
    # compilers for the wheels without binary builds
    apt-get install -y \
        build-essential \
        # headers for psycopg
        libpq-dev; \
    rm -rf /var/lib/apt/lists/*
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt

FROM python:3.13-slim-trixie
# want +1 "in stage 1 \\(the shipped image\\) runs 2 apt-get installs without"
RUN apt-get update && apt-get install -y libpq5 && apt-get install -y --no-install-recommends tini && apt-get install fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=build /venv /venv
USER 65532
