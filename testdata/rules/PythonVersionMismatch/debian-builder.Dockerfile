FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y python3-venv && python3 -m venv /venv && /venv/bin/pip install -r requirements.txt
FROM gcr.io/distroless/python3-debian13
# want +1 "installed with Python 3.11 \\(debian:12-slim, stage \"build\"\\).*which runs Python 3.13"
COPY --from=build /venv /venv
