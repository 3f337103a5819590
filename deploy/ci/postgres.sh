#!/usr/bin/env bash
# Starts PostgreSQL for distill's tests and prints its URL on stdout:
#
#   export DISTILL_TEST_POSTGRES_URL="$(bash deploy/ci/postgres.sh)"
#
# Installs Debian's `postgresql` package when missing, makes sure the
# package's cluster (pg_createcluster / pg_ctlcluster) runs on
# 127.0.0.1:$PGPORT (default 5432), and creates the login role and database
# `distill` (password `distill`, CREATEDB so that tests can make a fresh
# database per run). Safe to run again: every step checks first.
# Run as root on Debian 12 or later; everything but the URL goes to stderr.
set -euo pipefail

port="${PGPORT:-5432}"
role=distill
password="${DISTILL_PG_PASSWORD:-distill}"
db=distill

log() { echo "postgres.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	log "run me as root (I install packages and start the cluster as the postgres user)"
	exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
	log "installing postgresql from Debian's packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if [ -z "$version" ]; then
	log "no PostgreSQL server under /usr/lib/postgresql after installing"
	exit 1
fi

# The package normally creates the "main" cluster; create it if it did not
# (create_main_cluster = false, or a removed cluster).
if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
	log "creating cluster $version/main on port $port"
	pg_createcluster --port "$port" "$version" main >&2
fi
cluster_port="$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
if [ "$cluster_port" != "$port" ]; then
	log "cluster $version/main is configured for port $cluster_port, not $port; moving it"
	pg_conftool "$version" main set port "$port"
	pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
fi

if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
	status="$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }')"
	if [ "$status" = online ]; then
		log "cluster $version/main is online but not answering on 127.0.0.1:$port; restarting it"
		pg_ctlcluster "$version" main restart >&2
	else
		log "starting cluster $version/main"
		# Without systemd (containers, CI) pg_ctlcluster runs pg_ctl itself.
		pg_ctlcluster "$version" main start >&2
	fi
fi
for _ in $(seq 1 60); do
	pg_isready -q -h 127.0.0.1 -p "$port" && break
	sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
	log "PostgreSQL does not answer on 127.0.0.1:$port; see /var/log/postgresql/postgresql-$version-main.log"
	exit 1
fi

# Role and database, as the postgres superuser over the local socket (peer
# authentication). Passwords over TCP use scram-sha-256 (Debian's pg_hba.conf).
psql_admin() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"); }
psql_admin -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SQL
psql_admin -v role="$role" -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

url="postgres://$role:$password@127.0.0.1:$port/$db?sslmode=disable"
if ! PGPASSWORD="$password" psql -X -q -h 127.0.0.1 -p "$port" -U "$role" -d "$db" -c 'SELECT 1' >/dev/null; then
	log "cannot log in as $role over TCP"
	exit 1
fi
log "ready: PostgreSQL $version on 127.0.0.1:$port"
echo "$url"
