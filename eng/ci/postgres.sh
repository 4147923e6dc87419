#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks: no service, no container, one temp folder.
#
#   eval "$(bash eng/ci/postgres.sh start)"   # installs PostgreSQL with apt-get when missing (as root),
#                                             # initdb + pg_ctl start on a free port of 127.0.0.1, and prints
#                                             # the exports: OFFLINESYNC_TEST_POSTGRES (a connection string of
#                                             # a superuser, so tests may create and drop databases) and
#                                             # OFFLINESYNC_POSTGRES_DIR (what `stop` removes)
#   bash eng/ci/postgres.sh stop              # stops the server of OFFLINESYNC_POSTGRES_DIR and deletes its folder
#
# `start --durable` keeps PostgreSQL's default durability (fsync on), for benchmarks; without it the server
# runs with fsync, synchronous_commit and full_page_writes off: the tests kill server instances, never the
# database, and creating a database per test class is then cheap.
# Progress goes to stderr; stdout carries only the exports.
set -euo pipefail

find_bin() {
  local found=""
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && found="$dir"
  done
  echo "$found"
}

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "postgres.sh: no free port found" >&2
  return 1
}

start() {
  local durable="no"
  [ "${1:-}" = "--durable" ] && durable="yes"
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    echo "postgres.sh: installing PostgreSQL" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    bin=$(find_bin)
    [ -n "$bin" ] || { echo "postgres.sh: PostgreSQL did not install" >&2; return 1; }
  fi

  # initdb refuses to run as root: as root, the server runs as the package's unprivileged user.
  local run=()
  local dir parent="${TMPDIR:-/tmp}"
  [ "$(id -u)" -eq 0 ] && parent=/tmp # the server's user must reach its folder; root's TMPDIR may be closed to it
  dir=$(mktemp -d "$parent/offlinesync-postgres.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$dir"
    run=(runuser -u postgres --)
  fi

  "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  local settings="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300"
  if [ "$durable" = "no" ]; then
    settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi

  local port
  for attempt in 1 2 3; do
    port=$(free_port)
    if "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-p $port $settings" start >&2; then
      echo "postgres.sh: $("$bin/pg_ctl" --version) on 127.0.0.1:$port ($dir)" >&2
      echo "export OFFLINESYNC_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
      echo "export OFFLINESYNC_POSTGRES_DIR='$dir'"
      return 0
    fi
    echo "postgres.sh: start on port $port failed (attempt $attempt)" >&2
    tail -n 5 "$dir/server.log" >&2 || true
  done
  rm -rf "$dir"
  return 1
}

stop() {
  local dir="${OFFLINESYNC_POSTGRES_DIR:-}"
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  local bin
  bin=$(find_bin)
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [--durable] | stop" >&2; exit 2 ;;
esac
