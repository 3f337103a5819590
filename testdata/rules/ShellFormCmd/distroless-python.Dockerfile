FROM python:3.13-slim-trixie AS build
RUN ln -s /usr/local/bin/python /usr/bin/python && /usr/bin/python -m venv /venv
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY app.py /app/app.py
# want +1 "CMD \"python /app/app.py\" is in shell form, but gcr.io/distroless/python3-debian13:nonroot has no /bin/sh"
CMD python /app/app.py
