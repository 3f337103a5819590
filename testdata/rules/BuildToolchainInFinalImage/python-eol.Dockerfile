# want +1 "built on python:3.9.*distroless does not fit: distroless ships only Python 3.13, and Python 3.9 is end of life; instead: Chainguard's python image, Ubuntu chiselled, or python:3.9-slim"
FROM python:3.9
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
