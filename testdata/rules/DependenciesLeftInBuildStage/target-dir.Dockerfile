FROM python:3.13-slim-trixie AS deps
WORKDIR /build
COPY requirements.txt .
# want +1 "installs into /build/deps \\(--target\\) of stage \"deps\".*COPY --from=deps /build/deps /build/deps and put it on PYTHONPATH"
RUN pip install --no-cache-dir --target=deps -r requirements.txt
COPY . .
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=deps /build/app.py /app/app.py
CMD ["/app/app.py"]
