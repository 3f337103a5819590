# syntax=docker/dockerfile:1
FROM python:3.13-slim-trixie AS base
# want +1 "in stage \"base\" \\(the shipped image is built FROM it\\) runs `python -m pip install --upgrade pip setuptools`"
RUN python -m pip install --upgrade pip setuptools \
    # the app itself, pinned by the lock file
    && python -m pip install \
        -r requirements.lock
FROM base
# want +1 "runs `pip3 install gunicorn`"
RUN <<EOF
set -e
pip3 install gunicorn
EOF
USER 65532
