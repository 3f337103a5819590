FROM python:3.13-slim-trixie
LABEL org.opencontainers.image.authors="Zoë Łukasiewicz <zoe@example.com>" \
      description="Café — 日本語 — emoji 🐳"
ENV GREETING="Grüß Gott" LANG=C.UTF-8
RUN echo "${GREETING} ✓" > /greeting.txt
CMD ["python3", "-c", "print('héllo')"]
