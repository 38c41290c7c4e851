#!/usr/bin/env bash
# Deploys Snowtorch to a Docker host over SSH (both CI pipelines use it; so can you, by hand).
#
#   deploy/deploy.sh HOST                deploy $SNOWTORCH_IMAGE (an image tagged with a commit SHA)
#   deploy/deploy.sh --image IMAGE HOST  the same, naming the image
#   deploy/deploy.sh --rollback HOST     go back to the image that ran before the current one
#
# On the host (in $DEPLOY_PATH, under a lock so two deploys never overlap) it installs the compose
# files and the env file, logs in to the registry, pulls the image, runs the migrations, starts
# the new version and waits for /readyz. A version that never becomes ready is replaced by the
# previous one automatically, and the deploy fails. Exit codes: 0 deployed; 1 failed (rolled
# back when possible); 2 usage; 75 another deploy holds the lock; 255 SSH refused (host key).
#
# Environment (docs/deploy.md lists each with examples):
#   SNOWTORCH_IMAGE        image to deploy, e.g. registry.gitlab.com/me/snowtorch:<sha>
#   DEPLOY_USER            SSH user on the host (default: deploy)
#   DEPLOY_PORT            SSH port (default: 22)
#   DEPLOY_PATH            directory on the host (default: /srv/snowtorch)
#   SSH_KEY_FILE           private key to log in with (default: your ssh agent / config)
#   SSH_KNOWN_HOSTS_FILE   pinned known_hosts for the host (default: ~/.ssh/known_hosts);
#                          host keys are always checked strictly, never accepted blindly
#   ENV_FILE               env file for the host (deploy/write-env.sh makes it); unset: the
#                          host keeps the one it has
#   DB_CA_FILE             managed database CA certificate, installed as secrets/db-ca.crt
#   COMPOSE_FILES          compose files, ':'-separated (default: compose.yaml; managed database:
#                          compose.yaml:compose.managed-db.yaml)
#   REGISTRY REGISTRY_USER REGISTRY_PASSWORD   registry login for the pull (omit for public images)
#   READY_TIMEOUT          seconds to wait for /readyz (default: 180)
set -euo pipefail
umask 077

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

usage() {
  sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

action=deploy
image=${SNOWTORCH_IMAGE:-}
host=""
while [ $# -gt 0 ]; do
  case $1 in
    --rollback) action=rollback ;;
    --image) [ $# -ge 2 ] || usage; image=$2; shift ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) [ -z "$host" ] || usage; host=$1 ;;
  esac
  shift
done
[ -n "$host" ] || usage

log() { printf 'deploy: %s\n' "$*" >&2; }

user=${DEPLOY_USER:-deploy}
port=${DEPLOY_PORT:-22}
path=${DEPLOY_PATH:-/srv/snowtorch}
compose_files=${COMPOSE_FILES:-compose.yaml}

case $path in
  /*) ;;
  *) log "DEPLOY_PATH must be absolute (got $path)"; exit 2 ;;
esac
if [[ ! $host =~ ^[A-Za-z0-9.:_-]+$ ]] || [[ ! $user =~ ^[A-Za-z0-9._-]+$ ]] || [[ ! $port =~ ^[0-9]+$ ]]; then
  log "HOST, DEPLOY_USER or DEPLOY_PORT has characters that do not belong there"
  exit 2
fi
if [ "$action" = deploy ]; then
  [ -n "$image" ] || { log "set SNOWTORCH_IMAGE (or --image) to the image to deploy"; exit 2; }
  # Only image references: no quotes, spaces or shell syntax can reach the host's files.
  if [[ ! $image =~ ^[a-z0-9][a-z0-9._/:-]*(@sha256:[a-f0-9]{64})?$ ]] || [[ $image != *:* ]]; then
    log "SNOWTORCH_IMAGE \"$image\" is not an image reference with a tag"
    exit 2
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ssh_opts=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=20
  -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -p "$port")
if [ -n "${SSH_KNOWN_HOSTS_FILE:-}" ]; then
  [ -s "$SSH_KNOWN_HOSTS_FILE" ] || { log "SSH_KNOWN_HOSTS_FILE $SSH_KNOWN_HOSTS_FILE is empty"; exit 2; }
  # Only the pinned keys count; the machine's own known_hosts files are not consulted.
  ssh_opts+=(-o "UserKnownHostsFile=$SSH_KNOWN_HOSTS_FILE" -o GlobalKnownHostsFile=/dev/null)
fi
if [ -n "${SSH_KEY_FILE:-}" ]; then
  # CI file variables arrive world-readable and sometimes without the final newline; ssh wants
  # neither.
  cp "$SSH_KEY_FILE" "$work/id"
  [ -z "$(tail -c1 "$work/id")" ] || echo >>"$work/id"
  chmod 600 "$work/id"
  ssh_opts+=(-o IdentitiesOnly=yes -i "$work/id")
fi

remote() { # command string, run by the login shell on the host
  ssh "${ssh_opts[@]}" "$user@$host" "$1"
}

qpath=$(printf '%q' "$path")

if [ "$action" = rollback ]; then
  log "rolling back on $host"
  set +e
  remote "test -f $qpath/deploy/remote.sh || { echo 'deploy: nothing deployed in $qpath' >&2; exit 1; }; READY_TIMEOUT=$(printf '%q' "${READY_TIMEOUT:-180}") exec bash $qpath/deploy/remote.sh rollback $qpath"
  status=$?
  set -e
  exit $status
fi

# The bundle: what the host needs from this repository, plus this deploy's settings.
bundle=$work/bundle
mkdir -p "$bundle/deploy" "$bundle/_meta"
cp "$root"/compose.yaml "$bundle/"
for f in "$root"/compose.*.yaml; do cp "$f" "$bundle/"; done
cp -R "$root/deploy/nginx" "$bundle/deploy/"
cp "$root/deploy/remote.sh" "$root/deploy/backup.sh" "$root/deploy/restore.sh" "$bundle/deploy/"
IFS=: read -r -a files <<<"$compose_files"
for f in "${files[@]}"; do
  if [[ ! $f =~ ^compose(\.[a-z0-9-]+)?\.yaml$ ]] || [ ! -f "$bundle/$f" ]; then
    log "COMPOSE_FILES names \"$f\", which is not a compose file of this repository"
    exit 2
  fi
done
if [ -n "${ENV_FILE:-}" ]; then
  [ -f "$ENV_FILE" ] || { log "ENV_FILE $ENV_FILE does not exist"; exit 2; }
  cp "$ENV_FILE" "$bundle/_meta/env"
fi
if [ -n "${DB_CA_FILE:-}" ]; then
  [ -s "$DB_CA_FILE" ] || { log "DB_CA_FILE $DB_CA_FILE is empty or missing"; exit 2; }
  cp "$DB_CA_FILE" "$bundle/_meta/db-ca.crt"
fi
(
  export DEPLOY_IMAGE=$image DEPLOY_COMPOSE_FILE=$compose_files
  export DEPLOY_READY_TIMEOUT=${READY_TIMEOUT:-180}
  export DEPLOY_REGISTRY=${REGISTRY:-} DEPLOY_REGISTRY_USER=${REGISTRY_USER:-}
  export DEPLOY_REGISTRY_PASSWORD=${REGISTRY_PASSWORD:-}
  "$here/write-env.sh" -o "$bundle/_meta/settings" DEPLOY_IMAGE DEPLOY_COMPOSE_FILE \
    DEPLOY_READY_TIMEOUT 'DEPLOY_REGISTRY?' 'DEPLOY_REGISTRY_USER?' 'DEPLOY_REGISTRY_PASSWORD?'
)

log "deploying $image to $user@$host:$path"
# One SSH connection: the bundle travels on stdin into a private staging directory, then the
# host-side script takes the lock and does the rest (deploy/remote.sh).
set +e
tar -C "$bundle" -czf - . | remote "set -e; umask 077; mkdir -p $qpath/incoming; \
staging=\$(mktemp -d $qpath/incoming/deploy.XXXXXX); tar -xzf - -C \"\$staging\"; \
exec bash \"\$staging/deploy/remote.sh\" deploy $qpath \"\$staging\""
status=$?
set -e
if [ $status -eq 255 ]; then
  log "SSH to $host failed (host key not pinned or changed, key refused, or unreachable)"
fi
exit $status
