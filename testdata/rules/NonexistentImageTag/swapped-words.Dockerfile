ARG PY=3.12
# want +1 "python:3.12-bookworm-slim \\(stage \"build\"\\) does not exist: python image tags put the variant as -slim-<codename>.*; use python:3.12-slim-bookworm$"
FROM python:${PY}-bookworm-slim AS build
# want +1 "node:22-slim-bookworm does not exist: node image tags put the variant as <codename>-slim.*; use node:22-bookworm-slim$"
from node:22-slim-bookworm
copy --from=build /venv /venv
