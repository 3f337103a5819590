# want +1 "built on python:3.9.*distroless does not fit: python:3.9 is Python 3.9, which is end of life"
FROM python:3.9
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
