FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
ENTRYPOINT ["/venv/bin/python3"]
# want +1 "CMD \\[\"python3\", \"-m\", \"gunicorn\", \"app:app\"\\] repeats python3, which the ENTRYPOINT on line 3 already runs"
cmd ["python3", "-m", "gunicorn", "app:app"]
