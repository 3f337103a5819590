FROM python:3.13-slim-trixie AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN ln -s /usr/local/bin/python /usr/bin/python \
 && python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt
COPY src/ /app/

FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH
ENTRYPOINT ["/venv/bin/python3", "-m", "app"]
