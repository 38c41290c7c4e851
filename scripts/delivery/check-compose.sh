#!/usr/bin/env bash
# Every compose variant validates offline (`docker-compose config -q`), and its resolved form has
# what a single-machine deployment relies on (compose_checks.py): health checks and
# healthy-dependency ordering, restart policies, log rotation, named volumes, pinned images,
# PostgreSQL unpublished, secrets only from .env, the managed-database and demo variants.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
need_pkg docker-compose docker-compose || { not_ok "docker-compose (v1) is installed"; exit 1; }
py=$(yaml_python) || { not_ok "a YAML parser for Python (PyYAML) is available"; exit 1; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp "$DELIVERY_ROOT"/compose.yaml "$DELIVERY_ROOT"/compose.*.yaml "$T/"
mkdir -p "$T/deploy" && cp -R "$DELIVERY_ROOT/deploy/nginx" "$T/deploy/"

write_env() { # extra NAME=value... ; the .env the deploy would write
  env -i PATH="$PATH" SNOWTORCH_SECRET_KEY="$(printf '0%.0s' {1..64})" POSTGRES_PASSWORD=test-pg-password \
    OURA_CLIENT_ID=client-id OURA_CLIENT_SECRET='client secret $with dollar' \
    SNOWTORCH_DOMAIN=snowtorch.invalid LETSENCRYPT_EMAIL=ops@snowtorch.invalid \
    SQL_HOST=db.managed.invalid SQL_PORT=25060 SQL_USER=snowtorch SQL_PASSWORD='managed pw' SQL_DATABASE=snowtorch \
    SNOWTORCH_IMAGE=registry.invalid/snowtorch:0123abc "$@" \
    "$DELIVERY_ROOT/deploy/write-env.sh" -o "$T/.env" SNOWTORCH_SECRET_KEY POSTGRES_PASSWORD OURA_CLIENT_ID \
    OURA_CLIENT_SECRET SNOWTORCH_DOMAIN LETSENCRYPT_EMAIL SQL_HOST SQL_PORT SQL_USER SQL_PASSWORD SQL_DATABASE \
    SNOWTORCH_IMAGE 'COMPOSE_FILE?'
}
dc() { (cd "$T" && env -i PATH="$PATH" docker-compose "$@"); }

write_env || { not_ok "write the test .env"; exit 1; }
variant() { # name, compose args...
  local name=$1
  shift
  if dc "$@" config -q >"$T/$name.err" 2>&1; then
    ok "$name: docker-compose config -q accepts it"
  else
    not_ok "$name: docker-compose config -q accepts it"
    sed 's/^/    /' "$T/$name.err"
    return
  fi
  dc "$@" config >"$T/$name.yaml" 2>/dev/null
  local raw=() a prev=""
  for a in "$@"; do [ "$prev" = -f ] && raw+=("$T/$a"); prev=$a; done
  "$py" "$here/compose_checks.py" "$name" "$T/$name.yaml" "${raw[@]}" || failures=$((failures + 1))
}
variant bundled -f compose.yaml
variant managed -f compose.yaml -f compose.managed-db.yaml
variant demo --profile demo -f compose.yaml -f compose.demo.yaml
variant managed-demo --profile demo -f compose.yaml -f compose.managed-db.yaml -f compose.demo.yaml

# COMPOSE_FILE in .env (as deploy/remote.sh writes it) selects the managed variant for plain
# `docker compose` commands on the server.
write_env COMPOSE_FILE=compose.yaml:compose.managed-db.yaml
check "COMPOSE_FILE in .env selects the managed variant" \
  bash -c "cd '$T' && env -i PATH='$PATH' docker-compose config | grep -q 'SQL_CA_FILE: /run/secrets/db-ca.crt'"

# write_env refuses an empty required variable, so build these .env files by deleting the line.
write_env
cp "$T/.env" "$T/env.full"
sed '/^SNOWTORCH_SECRET_KEY=/d' "$T/env.full" >"$T/.env"
check "without SNOWTORCH_SECRET_KEY in .env, config fails naming it" \
  bash -c "out=\$(cd '$T' && env -i PATH='$PATH' docker-compose -f compose.yaml config -q 2>&1); [ \$? -ne 0 ] && grep -q SNOWTORCH_SECRET_KEY <<<\"\$out\""
sed '/^SQL_HOST=/d' "$T/env.full" >"$T/.env"
check "managed variant without SQL_HOST in .env fails naming it" \
  bash -c "out=\$(cd '$T' && env -i PATH='$PATH' docker-compose -f compose.yaml -f compose.managed-db.yaml config -q 2>&1); [ \$? -ne 0 ] && grep -q SQL_HOST <<<\"\$out\""
check "SNOWTORCH_IMAGE from .env is the image app and simulator run (deploys)" \
  bash -c "cd '$T' && env -i PATH='$PATH' docker-compose -f compose.yaml -f compose.demo.yaml --profile demo config |
    grep -c 'image: registry.invalid/snowtorch:0123abc' | grep -qx 2"
cp "$T/env.full" "$T/.env"

# A fresh clone (the tracked files only) with the least .env the demo needs and no registry:
# `docker compose -f compose.yaml -f compose.demo.yaml --profile demo up --build` builds app and
# simulator from the clone's Dockerfile as localhost/snowtorch:local (image-smoke.sh builds that
# same context with podman).
C=$T/clone
mkdir -p "$C"
(cd "$DELIVERY_ROOT" && git ls-files -z | xargs -0 tar -cf - 2>/dev/null) | tar -C "$C" -xf - 2>/dev/null
printf 'SNOWTORCH_SECRET_KEY=%s\nPOSTGRES_PASSWORD=demo-password\n' "$(printf '0%.0s' {1..64})" >"$C/.env"
if (cd "$C" && env -i PATH="$PATH" docker-compose -f compose.yaml -f compose.demo.yaml --profile demo config >"$T/clone.yaml" 2>"$T/clone.err"); then
  ok "fresh clone: the demo variant validates with only SNOWTORCH_SECRET_KEY and POSTGRES_PASSWORD in .env"
  check "fresh clone: app and simulator are built from the clone's Dockerfile as localhost/snowtorch:local" \
    "$py" -c 'import os, sys, yaml
s = yaml.safe_load(open(sys.argv[1]))["services"]
ok = all(s[n]["image"] == "localhost/snowtorch:local"
         and os.path.realpath(s[n]["build"]["context"]) == os.path.realpath(sys.argv[2])
         and os.path.isfile(os.path.join(sys.argv[2], s[n]["build"].get("dockerfile", "Dockerfile")))
         for n in ("app", "simulator"))
sys.exit(0 if ok else 1)' "$T/clone.yaml" "$C"
else
  not_ok "fresh clone: the demo variant validates with only SNOWTORCH_SECRET_KEY and POSTGRES_PASSWORD in .env"
  sed 's/^/    /' "$T/clone.err"
fi
check "no secret-looking literal in any compose file" \
  bash -c "! grep -nE '(PASSWORD|SECRET_KEY)[\"]?:[[:space:]]+[^\$[:space:]]' '$DELIVERY_ROOT'/compose.yaml '$DELIVERY_ROOT'/compose.managed-db.yaml"
check "the nginx TLS entrypoint script and certbot loop are executable in the repository" \
  test -x "$DELIVERY_ROOT/deploy/nginx/40-snowtorch-tls.sh" -a -x "$DELIVERY_ROOT/deploy/nginx/certbot.sh"
# compose_checks.py prints its own ok/not ok lines; check-all counts those too.
finish
