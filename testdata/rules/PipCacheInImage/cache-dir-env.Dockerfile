FROM python:3.13-slim-trixie
ENV PIP_CACHE_DIR=/var/cache/pip
RUN --mount=type=cache,target=/var/cache/pip pip install flask
# want +1 "the pip cache \\(/var/cache/pip\\) stays in the layer"
RUN pip install gunicorn
USER 65532
