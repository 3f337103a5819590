FROM python:3.13-slim-trixie
ARG DEV=0
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
# want +1 "runs `pip install --no-cache-dir -r requirements-dev.txt`, which installs requirements-dev.txt"
RUN pip install --no-cache-dir -r requirements-dev.txt
# want +1 "which installs the \\[dev,docs\\] extra"
RUN pip install --no-cache-dir -e ".[dev,docs]"
# A development switch is a deliberate choice.
RUN if [ "$DEV" = 1 ]; then \
      pip install --no-cache-dir -r requirements/test.txt; \
    fi
RUN pip install --no-cache-dir ".[postgres]"
USER 65532
