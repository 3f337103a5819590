FROM python:3.13-slim-trixie AS base
ENV PYTHONDONTWRITEBYTECODE=1
# want +1 "stage \"base\" \\(the shipped image is built FROM it\\) runs `apt-get update`"
RUN set -eux; \
    apt-get update; \
    # runtime library for psycopg
    apt-get install -y --no-install-recommends \
        libpq5 \
        # fonts for the PDF reports
        fonts-dejavu-core; \
    apt-get clean

FROM base
WORKDIR /app
COPY . .
USER 65532
CMD ["python", "-m", "app"]
