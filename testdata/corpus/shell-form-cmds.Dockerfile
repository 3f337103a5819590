FROM python:3.13-slim-trixie
WORKDIR /app
COPY . .
ENTRYPOINT exec gunicorn --bind 0.0.0.0:$PORT app:app
CMD echo "overridden by ENTRYPOINT in shell form"
