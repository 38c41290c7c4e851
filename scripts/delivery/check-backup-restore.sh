#!/usr/bin/env bash
# deploy/backup.sh and deploy/restore.sh against the PostgreSQL at 127.0.0.1:5432: make a
# database, back it up, drop it, restore it, compare every row. Both ways of running them:
# directly (libpq variables) and through `docker compose exec` (COMPOSE set to a stand-in
# that runs the command here, as the db container would).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"

export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
unset PGDATABASE PGPASSWORD
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  not_ok "PostgreSQL answers on 127.0.0.1:5432"
  exit 1
fi
db=snowtorch_backup_check_$$
T=$(mktemp -d)
cleanup() {
  psql -d postgres -qc "drop database if exists $db" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

seed() {
  psql -d postgres -qc "drop database if exists $db" && createdb "$db" &&
    psql -d "$db" -q -v ON_ERROR_STOP=1 <<'SQL'
create table users (id bigserial primary key, name text not null unique, created_at timestamptz not null default now());
create table documents (
  user_id bigint not null references users(id), data_type text not null, doc_id text not null,
  day date, raw jsonb not null, deleted_at timestamptz, primary key (user_id, data_type, doc_id));
create index documents_day on documents (user_id, data_type, day);
insert into users (name) values ('demo'), ('alex'), ('sam');
insert into documents
  select 1 + g % 3, 'daily_sleep', 'doc-' || g, date '2025-01-01' + g,
         jsonb_build_object('score', g % 100, 'note', E'quote '' and \\ and ünïcode', 'n', g), null
  from generate_series(1, 5000) g;
SQL
}
fingerprint() {
  psql -d "$db" -Atq <<'SQL'
select (select count(*) from users) || ':' || (select count(*) from documents) || ':' ||
  md5((select string_agg(u::text, ',' order by id) from users u) ||
      (select string_agg(d::text, ',' order by user_id, data_type, doc_id) from documents d)) ||
  ':' || (select last_value from users_id_seq)
SQL
}

check "seed a database with users and 5000 documents" seed
before=$(fingerprint)

direct_roundtrip() {
  "$DELIVERY_ROOT/deploy/backup.sh" -d "$db" -o "$T/direct.dump" || return 1
  [ "$(stat -c %a "$T/direct.dump")" = 600 ] || { echo "backup file is not 0600"; return 1; }
  psql -d postgres -qc "drop database $db" || return 1
  "$DELIVERY_ROOT/deploy/restore.sh" -d "$db" "$T/direct.dump" || return 1
  after=$(fingerprint)
  [ "$after" = "$before" ] || { echo "rows differ: before $before, after $after"; return 1; }
}
check "direct: backup, drop the database, restore: identical rows, indexes and sequence" direct_roundtrip
check "direct: the restored database has its index" \
  test "$(psql -d "$db" -Atqc "select count(*) from pg_indexes where indexname = 'documents_day'")" = 1

# The stand-in for `docker compose`: `exec -T db CMD...` runs CMD here with the environment
# the db service has (PGUSER, PGDATABASE), stdin and stdout passed through.
cat >"$T/compose" <<STANDIN
#!/usr/bin/env bash
[ "\$1 \$2 \$3" = "exec -T db" ] || { echo "unexpected: \$*" >&2; exit 1; }
shift 3
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGDATABASE=$db
exec "\$@"
STANDIN
chmod +x "$T/compose"

compose_roundtrip() {
  (cd "$T" && COMPOSE="$T/compose" "$DELIVERY_ROOT/deploy/backup.sh" --compose) || return 1
  local file
  file=$(ls "$T"/backups/snowtorch-*.dump) || return 1
  # Changes after the backup are undone by the restore (objects are replaced).
  psql -d "$db" -qc "delete from documents where doc_id like 'doc-1%'; insert into users (name) values ('late')" || return 1
  [ "$(fingerprint)" != "$before" ] || return 1
  COMPOSE="$T/compose" "$DELIVERY_ROOT/deploy/restore.sh" --compose "$file" || return 1
  after=$(fingerprint)
  [ "$after" = "$before" ] || { echo "rows differ: before $before, after $after"; return 1; }
}
check "compose exec: backup to backups/, change rows, restore: identical to the backup" compose_roundtrip

truncated() {
  printf '#!/bin/sh\necho not-a-dump\n' >"$T/broken-compose"
  chmod +x "$T/broken-compose"
  ! COMPOSE="$T/broken-compose" "$DELIVERY_ROOT/deploy/backup.sh" --compose -o "$T/broken.dump" &&
    [ ! -e "$T/broken.dump" ] && [ ! -e "$T/broken.dump.partial" ]
}
check "a backup that is not a readable archive fails and leaves no file" truncated
refute "restore refuses a file that is not a pg_dump archive" \
  "$DELIVERY_ROOT/deploy/restore.sh" -d "$db" /etc/hostname
finish
