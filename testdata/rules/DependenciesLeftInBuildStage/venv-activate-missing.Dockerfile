FROM python:3.13-slim-trixie AS build
WORKDIR /src
# want +1 "installs into /src/.venv \\(the venv\\) of stage \"build\".*COPY --from=build /src/.venv /src/.venv"
RUN python -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /src/app /app
CMD ["/app/main.py"]
