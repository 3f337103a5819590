ARG NPM_TOKEN
FROM python:3.13-slim-trixie
ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305 \
    PYTHON_SHA256=8fb5f9fbc7609fa822cb31549884575db7fd9657cbffb89510b5d7975963a83a
ENV API_KEY=changeme \
    SECRET_KEY_BASE_DUMMY=1 \
    PASSWORD_FILE=/run/secrets/db_password \
    TOKEN_URL=https://auth.example.com/oauth/token \
    NODE_AUTH_TOKEN=${NPM_TOKEN} \
    DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app \
    CACHE_URL=redis://default:password@localhost:6379/0 \
    JWT_PUBLIC_KEY_PATH=/etc/app/jwt.pub \
    DJANGO_SETTINGS_MODULE=app.settings.production
ARG APP_VERSION=1.4.2
LABEL org.opencontainers.image.revision=0d1f4b3c9a7e2b6f8c5d4e3a2b1c0f9e8d7c6b5a
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN pip install --no-cache-dir -r requirements.txt
USER 65532
