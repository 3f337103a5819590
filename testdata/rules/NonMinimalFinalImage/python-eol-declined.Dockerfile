# want +1 "python:3.9-slim is not minimal, but distroless does not fit: python:3.9-slim is Python 3.9, which is end of life"
FROM python:3.9-slim
COPY . /app
CMD ["python", "/app/main.py"]
