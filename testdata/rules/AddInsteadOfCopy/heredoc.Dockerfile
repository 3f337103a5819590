# syntax=docker/dockerfile:1
FROM nginx:1.29
# want +1 "ADD <<EOF /etc/nginx/conf.d/default.conf"
ADD <<EOF /etc/nginx/conf.d/default.conf
server { listen 8080; }
EOF
