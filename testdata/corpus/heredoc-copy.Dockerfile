# syntax=docker/dockerfile:1
FROM nginx:1.29-alpine
COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    location / {
        root /usr/share/nginx/html;
        try_files $uri $uri/ /index.html;
    }
}
EOF
COPY --chmod=755 <<'EOF' /docker-entrypoint.d/40-env.sh
#!/bin/sh
set -eu
envsubst < /tmpl/config.js > /usr/share/nginx/html/config.js
EOF
COPY --chown=101:101 <<EOF /usr/share/nginx/html/health
ok
EOF
EXPOSE 8080
