FROM python:3.13-slim-trixie
WORKDIR /app
# want +1 "ADD \\. /app \\(line 4\\) only copies local files, which COPY does too: ADD also downloads URLs, clones git repositories and unpacks local tar archives"
ADD . /app
# want +1 "ADD bin/ /usr/local/bin/ \\(line 6\\)"
ADD --chown=65532:65532 --chmod=755 --link bin/ /usr/local/bin/
# want +1 "ADD config/app.yaml config/logging.yaml /etc/app/ \\(line 8\\)"
ADD config/app.yaml \
    config/logging.yaml \
    /etc/app/
USER 65532
