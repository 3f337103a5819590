FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --prefer-dist --no-interaction

FROM php:8.4-apache-trixie
RUN apt-get update \
 && apt-get install -y --no-install-recommends libzip-dev libpng-dev \
 && docker-php-ext-install zip gd pdo_mysql \
 && rm -rf /var/lib/apt/lists/*
RUN a2enmod rewrite headers
COPY --from=vendor /app/vendor /var/www/html/vendor
COPY . /var/www/html/
RUN chown -R www-data:www-data /var/www/html
USER www-data
