FROM nginx:1.29 AS base
HEALTHCHECK NONE

FROM base AS with-cmd
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --start-interval=2s --retries=3 \
  CMD ["curl", "-fsS", "http://localhost/healthz"]

FROM with-cmd
HEALTHCHECK --interval=1m --timeout=5s CMD curl -fsS http://localhost/ || exit 1
