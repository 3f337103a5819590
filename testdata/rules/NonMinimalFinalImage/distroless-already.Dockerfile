FROM python:3.13-slim-trixie AS build
RUN ln -s /usr/local/bin/python /usr/bin/python && /usr/bin/python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install --no-cache-dir -r requirements.txt
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
ENV PYTHONUNBUFFERED=1
ENTRYPOINT ["/venv/bin/python3", "main.py"]
