FROM python:3.13-slim-trixie AS build
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt
# want +1 "python:3.13-slim-trixie ships a shell.*Python app.*use gcr.io/distroless/python3-debian13:nonroot as the final image"
FROM python:3.13-slim-trixie
COPY --from=build /venv /venv
COPY . /app
CMD ["/venv/bin/python", "/app/main.py"]
