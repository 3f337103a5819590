FROM python:3.13-slim-trixie AS build
ENV VIRTUAL_ENV=/opt/venv
RUN python -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"
COPY requirements.txt .
RUN pip install --upgrade pip && pip install -r requirements.txt
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /opt/venv /opt/venv
COPY . /app
ENTRYPOINT ["/opt/venv/bin/python3", "/app/main.py"]
