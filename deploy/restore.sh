#!/usr/bin/env bash
# Restores a deploy/backup.sh archive (pg_dump custom format) into the Snowtorch database,
# replacing the objects it contains. Stop the app first (docker compose stop app) and start it
# again afterwards, so nothing writes while the tables are replaced.
#
#   deploy/restore.sh --compose FILE         on the server, in the compose directory: runs
#                                            pg_restore inside the `db` service
#   deploy/restore.sh [-d DB] FILE           anywhere with pg_restore: libpq variables (PGHOST,
#                                            PGUSER, ...) or DB as a name; a database that does
#                                            not exist is created first
#
# The restore is one transaction: on any error nothing changes. COMPOSE overrides the compose
# command (default "docker compose").
set -euo pipefail

usage() {
  echo "usage: $0 [--compose] [-d DB] FILE" >&2
  exit 2
}

mode=direct
db=${PGDATABASE:-snowtorch}
file=""
while [ $# -gt 0 ]; do
  case $1 in
    --compose) mode=compose ;;
    -d) [ $# -ge 2 ] || usage; db=$2; shift ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) [ -z "$file" ] || usage; file=$1 ;;
  esac
  shift
done
[ -n "$file" ] || usage
[ -r "$file" ] || { echo "restore: cannot read $file" >&2; exit 1; }
pg_restore --list "$file" >/dev/null 2>&1 || {
  echo "restore: $file is not a pg_dump archive (custom format)" >&2
  exit 1
}

options=(--clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction)
if [ "$mode" = compose ]; then
  # shellcheck disable=SC2086 # COMPOSE is a command with arguments
  ${COMPOSE:-docker compose} exec -T db sh -c 'exec pg_restore "$@" --dbname="$PGDATABASE"' \
    pg_restore "${options[@]}" <"$file"
else
  case $db in
    *=* | *://*) ;; # a connection string: the database must exist
    *)
      # psql quotes the name itself (:'name'); -c would not interpolate variables.
      exists=$(psql --dbname=postgres -Atq -v ON_ERROR_STOP=1 -v name="$db" \
        <<<"select 1 from pg_database where datname = :'name'")
      if [ "$exists" != 1 ]; then
        echo "restore: creating database $db" >&2
        createdb -- "$db"
      fi
      ;;
  esac
  pg_restore "${options[@]}" --dbname="$db" "$file"
fi
echo "restore: restored $file" >&2
