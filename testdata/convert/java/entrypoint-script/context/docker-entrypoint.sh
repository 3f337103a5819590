#!/bin/sh
set -e
/usr/local/bin/wait-for db:5432 -t 60
export SPRING_DATASOURCE_URL="jdbc:postgresql://${DB_HOST:-db}:5432/app"
exec java $JAVA_OPTS -jar /app/app.jar "$@"
