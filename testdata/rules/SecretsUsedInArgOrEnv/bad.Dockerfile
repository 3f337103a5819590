FROM debian:trixie-slim
# want +1 "Do not use ARG or ENV instructions for sensitive data \\(ARG \"API_TOKEN\"\\)"
ARG API_TOKEN
