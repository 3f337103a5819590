FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist
RUN composer install

FROM python:3.13-slim-trixie
# want +1 "runs `pipenv install --dev --system --deploy`, which installs the \\[dev-packages\\] too"
RUN pip install --no-cache-dir pipenv && pipenv install --dev --system --deploy
USER 65532
