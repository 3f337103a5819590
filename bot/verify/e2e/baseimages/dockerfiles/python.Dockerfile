# python:3.13-slim-trixie, synthesized from Debian's python3.13 (the same
# CPython 3.13 that python3-debian13 ships). The official image installs
# CPython under /usr/local; we expose Debian's interpreter there the same
# way (/usr/local/bin/python, python3, pip) and leave /usr/bin/python absent,
# so the distroless recipe `ln -s /usr/local/bin/python /usr/bin/python`
# works and a venv made from /usr/local/bin/python3 points where it would.
FROM debian:trixie-slim
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
ARG PYTHON_VERSION
ENV PYTHON_VERSION=${PYTHON_VERSION}
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates netbase tzdata python3.13 python3.13-venv python3-pip \
 && rm -rf /var/lib/apt/lists/* \
 && rm -f /usr/lib/python3.13/EXTERNALLY-MANAGED \
 && ln -s /usr/bin/python3.13 /usr/local/bin/python3 \
 && ln -s python3 /usr/local/bin/python \
 && ln -s python3 /usr/local/bin/python3.13 \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip3 \
 && ln -s pip3 /usr/local/bin/pip \
 && test ! -e /usr/bin/python \
 && python --version && pip --version
CMD ["python3"]
