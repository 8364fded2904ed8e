#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with a `ramparts_test` database, and prints
# its DATABASE_URL — the only thing written to stdout (progress goes to stderr):
#
#   DATABASE_URL=$(bash .ci/postgres.sh) npx vitest run test/contract
#
# Uses a running server; else starts the installed Debian cluster; else installs Debian's
# `postgresql` with apt and starts it. The server runs as the `postgres` user (PostgreSQL refuses
# root); pg_ctlcluster switches to it when called as root.
set -euo pipefail

exec 3>&1 1>&2 # fd 3 is the real stdout, reserved for the URL
HOST=127.0.0.1
# Overridable only to exercise this script against a second cluster without touching the main one.
PORT=${RAMPARTS_PG_PORT:-5432}
CLUSTER=${RAMPARTS_PG_CLUSTER:-main}
DB=ramparts_test
USER_NAME=postgres
PASSWORD=""

log() { echo "postgres.sh: $*"; }
ready() { command -v pg_isready >/dev/null && pg_isready -q -h "$HOST" -p "$PORT"; }
cluster_version() { ls /etc/postgresql | sort -V | tail -n 1; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

start_cluster() {
  local v
  v=$(cluster_version)
  log "starting PostgreSQL $v cluster '$CLUSTER'"
  # 3>&-: the server must not inherit the pipe our caller reads the URL from, or $(…) never ends.
  sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$v" "$CLUSTER" start 3>&- </dev/null || true
}

if ready; then
  log "PostgreSQL already accepting connections on $HOST:$PORT"
else
  if [ ! -d /etc/postgresql ] || [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
    log "no PostgreSQL installed: installing Debian's postgresql with apt"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # The package may start the server itself: keep our stdout pipe (fd 3) away from it too.
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 3>&- </dev/null
  fi
  start_cluster
  for _ in $(seq 1 60); do
    ready && break
    sleep 1
  done
  ready || { log "PostgreSQL did not become ready on $HOST:$PORT within 60 s"; exit 1; }
  log "PostgreSQL is ready on $HOST:$PORT"
fi

# Trust auth (this machine, most CI images) lets us in over TCP as-is. A fresh Debian install asks
# for a password over TCP, so give the throw-away CI superuser one through the local socket.
admin() { psql -X -q -w -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$USER_NAME" -d postgres "$@"; }
if ! admin -Atc 'SELECT 1' >/dev/null 2>&1; then
  PASSWORD=ramparts-ci
  log "password needed over TCP: setting one for $USER_NAME (CI only)"
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -c "ALTER USER $USER_NAME PASSWORD '$PASSWORD'"
  export PGPASSWORD=$PASSWORD
  admin -Atc 'SELECT 1' >/dev/null
fi

if [ "$(admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  log "creating database $DB"
  # Another run may create it at the same moment; only fail if it still does not exist.
  admin -c "CREATE DATABASE $DB" || [ "$(admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]
fi

echo "postgres://$USER_NAME${PASSWORD:+:$PASSWORD}@$HOST:$PORT/$DB" >&3
