#!/usr/bin/env bash
# Backs up the Snowtorch database with pg_dump (custom format: compressed, restorable object by
# object with deploy/restore.sh) and checks that the archive reads back.
#
#   deploy/backup.sh --compose [-o FILE]     on the server, in the compose directory: runs
#                                            pg_dump inside the `db` service (bundled PostgreSQL,
#                                            or the managed cluster through compose.managed-db.yaml)
#   deploy/backup.sh [-d DB] [-o FILE]       anywhere with pg_dump: connects with the usual
#                                            libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
#                                            PGSSLMODE...) or a connection string as DB
#
# FILE defaults to backups/snowtorch-<UTC time>.dump; "-" writes to standard output. Files are
# created with mode 0600. COMPOSE overrides the compose command (default "docker compose").
set -euo pipefail
umask 077

usage() {
  echo "usage: $0 [--compose] [-d DB] [-o FILE|-]" >&2
  exit 2
}

mode=direct
db=${PGDATABASE:-snowtorch}
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --compose) mode=compose ;;
    -d) [ $# -ge 2 ] || usage; db=$2; shift ;;
    -o) [ $# -ge 2 ] || usage; out=$2; shift ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
  shift
done

dump() {
  if [ "$mode" = compose ]; then
    # The db service's environment names the user and database (PGUSER, PGDATABASE).
    # shellcheck disable=SC2086 # COMPOSE is a command with arguments
    ${COMPOSE:-docker compose} exec -T db pg_dump --format=custom --no-owner --no-privileges
  else
    pg_dump --format=custom --no-owner --no-privileges --dbname="$db"
  fi
}

if [ "$out" = - ]; then
  dump
  exit 0
fi
if [ -z "$out" ]; then
  mkdir -p backups
  out="backups/snowtorch-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi
tmp="$out.partial"
trap 'rm -f "$tmp"' EXIT
dump >"$tmp"
# A truncated or empty archive must not pass for a backup.
if ! pg_restore --list "$tmp" >/dev/null 2>&1; then
  echo "backup: $out is not a readable pg_dump archive; not kept" >&2
  exit 1
fi
mv -f "$tmp" "$out"
trap - EXIT
echo "backup: wrote $out ($(wc -c <"$out" | tr -d ' ') bytes)" >&2
