FROM postgres:17-trixie
VOLUME /var/lib/postgresql/data
VOLUME ["/var/log/postgresql", "/run/postgresql"]
VOLUME /data /backups
EXPOSE 5432
EXPOSE 5432/tcp 9187/tcp 53/udp
EXPOSE 8000-8010/tcp
