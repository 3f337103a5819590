FROM python:3.12-slim-bookworm AS app
WORKDIR /app
COPY requirements.txt .
# want +1 "stage \"app\" is both the build.*installs gcc.*python3-debian13:nonroot \\(distroless ships only Python 3.13, so the build stage moves from 3.12 to 3.13"
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
