FROM python:3.13-slim-trixie AS build
RUN python -m venv /venv
FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
# want +1 "RUN \"mkdir -p /app/data && chown 65532 /app/data\" is in shell form, run by the default shell /bin/sh, but gcr.io/distroless/python3-debian13:nonroot has no shell: the build fails"
RUN mkdir -p /app/data && chown 65532 /app/data
# want +1 "HEALTHCHECK CMD \"curl -f http://localhost:8000/health \\|\\| exit 1\" is in shell form \\(CMD-SHELL\\), run by /bin/sh, but gcr.io/distroless/python3-debian13:nonroot has no shell: the check can never pass"
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/health || exit 1
# want +1 "CMD \"sh -c exec /venv/bin/python3 main.py\" runs sh -c, but gcr.io/distroless/python3-debian13:nonroot has no shell: the container fails to start"
CMD ["sh", "-c", "exec /venv/bin/python3 main.py"]
