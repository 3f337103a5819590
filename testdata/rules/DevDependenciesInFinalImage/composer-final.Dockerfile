FROM php:8.4-fpm-trixie
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www
COPY . .
# want +1 "runs `composer install --optimize-autoloader`, which installs require-dev too.*use `composer install --no-dev`"
RUN composer install --optimize-autoloader
USER www-data
