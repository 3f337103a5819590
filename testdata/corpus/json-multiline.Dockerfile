FROM python:3.13-slim-trixie
RUN ["python3", "-m", "venv", \
     "/venv"]
ENTRYPOINT [ \
    "/venv/bin/python3", \
    "-m", \
    "gunicorn" \
]
CMD ["--bind", "0.0.0.0:8000", \
     "--workers", "4", \
     "app.wsgi:application"]
HEALTHCHECK --interval=30s CMD ["/venv/bin/python3", "-c", \
    "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
SHELL ["/bin/bash", \
       "-o", "pipefail", "-c"]
