FROM python:3.13-slim-trixie
RUN useradd --create-home app
USER app
# The user's home is not known from the Dockerfile alone.
# want +1 "the pip cache \\(~/.cache/pip\\) stays in the layer"
RUN pip install --user flask
