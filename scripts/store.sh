#!/usr/bin/env bash
# Runs the query store's PostgreSQL server on this machine from Debian's packages (postgresql),
# for a gateway on the Fabric backend: SCF_STORE=$(scripts/store.sh url).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/store.sh up | down [--purge] | status | url

  up      on first run: a database cluster in the store folder (initdb), then start the
          server on 127.0.0.1 and create the database and its role; prints the URL
  down    stop the server; --purge also deletes the store folder (the store is rebuilt
          from block 0 by the next gateway that uses it)
  status  whether the server runs and answers
  url     the connection URL to give the gateway as SCF_STORE

Environment: SCF_STORE_DIR (default network/store), SCF_STORE_PORT (default 5433),
PG_BIN (folder of initdb, pg_ctl, postgres; default the newest /usr/lib/postgresql/*/bin).
As root, the server runs as the system user postgres (PostgreSQL refuses to run as root).
USAGE
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${SCF_STORE_DIR:-$ROOT/network/store}
PORT=${SCF_STORE_PORT:-5433}
DATA=$DIR/pgdata
LOG=$DIR/postgres.log

fail() { echo "store.sh: $*" >&2; exit 1; }

find_bin() {
  if [ -z "${PG_BIN:-}" ]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$PG_BIN" ] || PG_BIN=$(dirname "$(type -P pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
  fi
  [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/initdb" ] \
    || fail "PostgreSQL's server binaries not found (looked in ${PG_BIN}): apt-get install postgresql, or set PG_BIN"
}

# PostgreSQL will not run as root: as root, the cluster belongs to the system user postgres.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgres://scf@127.0.0.1:$PORT/scf"; }

running() { [ -f "$DATA/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

init_cluster() {
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  echo "creating the store's database cluster in $DATA"
  # Only this machine's loopback connects, with no password: the port is never exposed.
  as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = on
# The store's queries are short and indexed: starting parallel workers costs more than it saves.
max_parallel_workers_per_gather = 0
CONF
}

up() {
  find_bin
  [ -f "$DATA/PG_VERSION" ] || init_cluster
  if running; then echo "the store's server already runs: $(url)"; return; fi
  as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null || { tail -20 "$LOG" >&2; fail "the server did not start (log: $LOG)"; }
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$("${psql[@]}" -d postgres -c "select 1 from pg_roles where rolname = 'scf'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "create role scf login" -c "create database scf owner scf"
  fi
  url
}

down() {
  find_bin
  if running; then as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; echo "stopped the store's server"; fi
  if [ "${1:-}" = --purge ]; then rm -rf "$DIR"; echo "deleted $DIR"; fi
}

status() {
  find_bin
  if running && "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then echo "running: $(url)"; else echo "not running"; return 1; fi
}

case "${1:-}" in
  up) up ;;
  down) shift; down "$@" ;;
  status) status ;;
  url) url ;;
  *) usage; exit 2 ;;
esac
