# WRONG: the venv is made with /usr/local/bin/python3, so /venv/bin/python3 points at a path distroless does not have.
FROM python:3.13-slim-trixie AS build
RUN python3 -m venv /venv
WORKDIR /app
COPY requirements.txt .
COPY wheels/ wheels/
RUN /venv/bin/pip install --no-cache-dir --no-index --find-links=wheels -r requirements.txt

FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY app.py /app/
WORKDIR /app
ENTRYPOINT ["/venv/bin/python3", "app.py"]
