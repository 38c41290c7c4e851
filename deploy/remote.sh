#!/usr/bin/env bash
# The host side of deploy/deploy.sh; runs on the Docker host, in the deploy directory, under an
# exclusive lock (flock) so that two deploys never overlap.
#
#   remote.sh deploy DIR STAGING   install the bundle in STAGING, pull, migrate, start, wait for
#                                  /readyz, roll back to the previous image if it never is ready
#   remote.sh rollback DIR         start the previous image again
#
# State kept in DIR: .env (compose reads it: the deploy's variables plus COMPOSE_FILE and
# SNOWTORCH_IMAGE, so plain `docker compose ...` in DIR works for operators), .env.deploy (the
# variables as uploaded), releases/current and releases/previous (image references) and
# releases/history.
set -euo pipefail
umask 077

action=${1:-}
dir=${2:-}
staging=${3:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: remote.sh deploy|rollback DIR [STAGING]" >&2
  exit 2
fi
cd "$dir"

log() { printf 'deploy[%s]: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  if [ -n "$staging" ]; then rm -rf "$staging"; fi
  if [ -n "${logged_in:-}" ]; then docker logout "$logged_in" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

exec 9>>"$dir/.deploy.lock"
if ! flock -n 9; then
  log "another deploy is running on this host (lock $dir/.deploy.lock); try again when it has finished"
  exit 75
fi

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  log "neither 'docker compose' nor 'docker-compose' is installed on this host"
  exit 1
fi

mkdir -p releases
current=$(cat releases/current 2>/dev/null || true)
previous=$(cat releases/previous 2>/dev/null || true)

# .env = the uploaded variables + which compose files + which image. Written whole, atomically.
activate() { # image
  local tmp
  tmp=$(mktemp .env.XXXXXX)
  if [ -f .env.deploy ]; then
    grep -v -E '^(SNOWTORCH_IMAGE|COMPOSE_FILE)=' .env.deploy >"$tmp" || true
  fi
  printf "COMPOSE_FILE='%s'\nSNOWTORCH_IMAGE='%s'\n" "$compose_file" "$1" >>"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" .env
}

ready() { # waits up to $ready_timeout seconds for /readyz inside the app container
  local deadline=$((SECONDS + ready_timeout))
  while [ $SECONDS -lt $deadline ]; do
    if "${compose[@]}" exec -T app node -e \
      "fetch('http://127.0.0.1:3000/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" \
      >/dev/null 2>&1; then
      return 0
    fi
    sleep "${READY_POLL_SECONDS:-3}"
  done
  return 1
}

start() { # image: make it the running version and wait until it is ready
  activate "$1"
  "${compose[@]}" up -d --remove-orphans && ready
}

record() { # new-current new-previous
  printf '%s\n' "$1" >releases/current.tmp && mv -f releases/current.tmp releases/current
  if [ -n "$2" ]; then
    printf '%s\n' "$2" >releases/previous.tmp && mv -f releases/previous.tmp releases/previous
  fi
  printf '%s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$action" "$1" >>releases/history
}

compose_file=$(sed -n "s/^COMPOSE_FILE='\(.*\)'$/\1/p" .env 2>/dev/null || true)
compose_file=${compose_file:-compose.yaml}
ready_timeout=${READY_TIMEOUT:-180}

if [ "$action" = rollback ]; then
  if [ -z "$previous" ]; then
    log "no previous release recorded; nothing to roll back to"
    exit 1
  fi
  log "rolling back from ${current:-nothing} to $previous"
  if start "$previous"; then
    record "$previous" "$current"
    "${compose[@]}" ps
    log "rolled back: $previous is ready"
    exit 0
  fi
  log "$previous did not become ready; returning to $current"
  "${compose[@]}" logs --tail 50 app >&2 || true
  if [ -n "$current" ]; then start "$current" || true; fi
  exit 1
fi

if [ "$action" != deploy ] || [ -z "$staging" ]; then
  echo "usage: remote.sh deploy DIR STAGING" >&2
  exit 2
fi

# The deploy's settings, single-quoted by deploy/write-env.sh (read literally by the shell).
# shellcheck source=/dev/null
. "$staging/_meta/settings"
image=$DEPLOY_IMAGE
compose_file=$DEPLOY_COMPOSE_FILE
ready_timeout=${DEPLOY_READY_TIMEOUT:-180}

# Install the bundle. Files are overwritten in place (not replaced), so the bind mounts of a
# running nginx see the new configuration.
umask 022
cp -f "$staging"/compose*.yaml .
mkdir -p deploy
cp -Rf "$staging/deploy/." deploy/
# Nothing here is secret; the containers (nginx, certbot) read these files through bind mounts.
chmod -R u+rwX,go+rX,go-w compose*.yaml deploy
if [ -f "$staging/_meta/db-ca.crt" ]; then
  mkdir -p secrets
  # A CA certificate is public; the app's non-root user must be able to read it.
  install -m 0644 "$staging/_meta/db-ca.crt" secrets/db-ca.crt
fi
umask 077
if [ -f "$staging/_meta/env" ]; then
  install -m 0600 "$staging/_meta/env" .env.deploy
fi
[ -f .env.deploy ] || { log "no env file on this host yet: deploy with ENV_FILE set"; exit 1; }

if [ -n "${DEPLOY_REGISTRY_PASSWORD:-}" ]; then
  log "logging in to ${DEPLOY_REGISTRY:-the registry}"
  printf '%s' "$DEPLOY_REGISTRY_PASSWORD" |
    docker login ${DEPLOY_REGISTRY:+"$DEPLOY_REGISTRY"} -u "${DEPLOY_REGISTRY_USER:-}" --password-stdin >/dev/null
  logged_in=${DEPLOY_REGISTRY:-docker.io}
fi
unset DEPLOY_REGISTRY_PASSWORD

log "pulling $image"
SNOWTORCH_IMAGE=$image COMPOSE_FILE=$compose_file "${compose[@]}" pull --quiet app
log "running migrations with $image"
if ! SNOWTORCH_IMAGE=$image COMPOSE_FILE=$compose_file "${compose[@]}" run --rm -T app \
  node bin/snowtorch.js migrate; then
  log "migrations failed; the running version (${current:-none}) is unchanged"
  exit 1
fi

log "starting $image"
if start "$image"; then
  if [ "$image" != "$current" ]; then record "$image" "$current"; else record "$image" ""; fi
  # nginx's configuration may have changed with the bundle.
  "${compose[@]}" exec -T nginx sh -c 'nginx -t -q && nginx -s reload' >/dev/null 2>&1 ||
    log "warning: nginx did not reload its configuration"
  "${compose[@]}" ps
  log "deployed $image: ready"
  exit 0
fi

log "$image did not become ready within ${ready_timeout}s"
"${compose[@]}" logs --tail 80 app >&2 || true
if [ -z "$current" ] || [ "$current" = "$image" ]; then
  log "no previous release to roll back to"
  exit 1
fi
log "rolling back to $current"
if start "$current"; then
  printf '%s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "failed-deploy" "$image" >>releases/history
  log "rolled back to $current, which is ready; the deploy of $image failed"
else
  log "rolled back to $current, but it did not become ready either: look at 'docker compose logs app'"
fi
exit 1
