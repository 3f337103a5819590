# want +1 "ubuntu:24.04 is not minimal, but distroless does not fit: the shipped image installs ffmpeg \\(line 3\\), a tool distroless does not have"
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
COPY worker /usr/local/bin/worker
CMD ["worker"]
