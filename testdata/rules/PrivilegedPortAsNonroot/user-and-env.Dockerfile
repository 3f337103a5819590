FROM python:3.13-slim-trixie
RUN useradd -u 10001 app
# want +1 "ENV PORT=80 asks the app to listen on port 80 in an image that runs as USER app \\(line 5\\)"
ENV PORT=80
USER app
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
