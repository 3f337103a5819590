# syntax=docker/dockerfile:1
FROM python:3.13-slim-trixie AS build
RUN python -m venv /venv \
 && /venv/bin/pip install --no-cache-dir \
    # pinned
    flask==3.1.0
RUN <<EOF
set -e
echo crlf heredoc
EOF

FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
CMD ["/venv/bin/python3", "-m", "flask", "run"]
