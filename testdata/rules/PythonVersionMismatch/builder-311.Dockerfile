FROM python:3.11-slim AS build
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
FROM gcr.io/distroless/python3-debian13:nonroot
# want +1 "COPY --from=build /venv brings packages installed with Python 3.11 \\(python:3.11-slim, stage \"build\"\\) into gcr.io/distroless/python3-debian13:nonroot, which runs Python 3.13: lib/python3.11/site-packages is not on Python 3.13's sys.path and compiled extensions are built for cp311.*build that stage with python:3.13-slim-trixie"
COPY --from=build /venv /venv
COPY . /app
ENTRYPOINT ["/venv/bin/python3", "/app/main.py"]
