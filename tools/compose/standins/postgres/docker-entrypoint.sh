#!/bin/sh
# The official postgres image's start-up contract, for the Debian stand-in: on an empty PGDATA,
# initdb with POSTGRES_USER/POSTGRES_PASSWORD, create POSTGRES_DB, run
# /docker-entrypoint-initdb.d/*.sql and *.sh against a server listening on its socket only, then
# exec the real server on all addresses. Runs as root only long enough to hand PGDATA to postgres.
set -eu

if [ "${1:-postgres}" != postgres ] && [ "${1#-}" = "$1" ]; then
  exec "$@" # another program (psql, bash…), as the official image allows
fi
[ "${1:-}" = postgres ] && shift

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi

user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo "error: set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust) for a new database" >&2
    exit 1
  fi
  password_file=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$password_file"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as in the original
  initdb -D "$PGDATA" --username="$user" --pwfile="$password_file" --auth-local=trust \
    --auth-host="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" ${POSTGRES_INITDB_ARGS:-}
  rm -f "$password_file"
  printf 'host all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"

  # Set-up runs against a server nobody outside can reach yet: pg_isready on TCP stays false.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [ "$database" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres \
      -c "CREATE DATABASE \"$database\""
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case $file in
      *.sql) echo "running $file"
        psql -v ON_ERROR_STOP=1 --username="$user" --dbname="$database" -f "$file" ;;
      *.sh) echo "running $file"
        # shellcheck disable=SC1090
        . "$file" ;;
      *) [ -e "$file" ] && echo "ignoring $file" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL set-up complete; starting the server"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
