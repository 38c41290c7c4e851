#!/usr/bin/env bash
# Services the test suite needs: Debian's Chromium (browser tests) and PostgreSQL on
# 127.0.0.1:5432 with trust auth for user postgres (the machine's cluster, or a throwaway one).
set -uo pipefail
apt_updated=0
need_pkg() {
  if ! command -v "$1" >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then echo "test services: $1 missing (install package $2)" >&2; return 1; fi
    [ $apt_updated = 1 ] || { apt-get update -qq >/dev/null && apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || return 1
  fi
}
need_pkg chromium chromium || exit 1
pg_ok() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
if ! command -v pg_isready >/dev/null 2>&1; then need_pkg pg_isready postgresql || exit 1; fi
if ! pg_ok; then
  if ls /etc/postgresql/*/main >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start >/dev/null 2>&1 || true
  fi
fi
if ! pg_ok; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir=/tmp/snowtorch-pg
  rm -rf "$dir" && install -d -o postgres "$dir"
  su postgres -c "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8" >/dev/null || exit 1
  su postgres -c "$bin/pg_ctl -D $dir/data -l $dir/log -o '-p 5432 -k $dir -c listen_addresses=127.0.0.1' -w start" >/dev/null || exit 1
fi
pg_ok || { echo "test services: PostgreSQL on 127.0.0.1:5432 did not answer" >&2; exit 1; }
