FROM python:3.13-slim-trixie
RUN apt-get update && apt-get install -y --no-install-recommends gosu
COPY scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint
# want +1 "ENTRYPOINT runs the shell script docker-entrypoint \\(COPY'd from scripts/docker-entrypoint.sh on line 3; it probably drops privileges with gosu, receives CMD as its arguments"
ENTRYPOINT ["docker-entrypoint"]
CMD ["gunicorn", "app:app"]
