#!/usr/bin/env bash
# Provisions Snowtorch's home on DigitalOcean, idempotently (run it again: existing resources are
# found by name and brought in line, nothing is duplicated):
#   - an SSH key for deploys, and the server's own SSH host key, both made here, so the host key
#     is known (pinned in CI) before the droplet first boots; nothing is trusted on first use
#   - a droplet (Ubuntu 24.04) with Docker and the compose plugin, a `deploy` user for CI,
#     password logins off (cloud-init)
#   - a cloud firewall: SSH (22) only from the addresses you give, HTTP/HTTPS (80/443) public
#   - a managed PostgreSQL cluster whose only trusted source is that droplet, with a
#     `snowtorch` database and user (skip with --no-managed-db: PostgreSQL then runs in compose)
# and prints the CI variables to set. Needs `doctl`, authenticated (doctl auth init, or
# DIGITALOCEAN_ACCESS_TOKEN), plus ssh-keygen and openssl.
#
#   deploy/digitalocean/provision.sh --ssh-from 203.0.113.7/32 [options]
#   deploy/digitalocean/provision.sh --dry-run --ssh-from 203.0.113.7/32    print every doctl
#                                                                           command, run none
# Options:
#   --ssh-from CIDR[,CIDR...]  addresses allowed to SSH in (you, your CI runners); required
#   --name NAME                resource name prefix and tag (default: snowtorch)
#   --region SLUG              (default: fra1)
#   --size SLUG                droplet size (default: s-1vcpu-2gb)
#   --admin-key FILE           your public key, for root logins (default: ~/.ssh/id_ed25519.pub)
#   --db-size SLUG             managed database size (default: db-s-1vcpu-1gb)
#   --pg-version N             managed PostgreSQL major version (default: 17)
#   --no-managed-db            PostgreSQL in compose on the droplet instead
#   --state-dir DIR            where keys and generated secrets live
#                              (default: ~/.config/snowtorch/provision/NAME; with --dry-run a
#                              temporary directory)
set -euo pipefail
umask 077

name=snowtorch
region=fra1
size=s-1vcpu-2gb
image=ubuntu-24-04-x64
admin_key=$HOME/.ssh/id_ed25519.pub
db_size=db-s-1vcpu-1gb
pg_version=17
managed_db=true
ssh_from=""
dry_run=false
state=""

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --dry-run) dry_run=true ;;
    --ssh-from) ssh_from=${2:?}; shift ;;
    --name) name=${2:?}; shift ;;
    --region) region=${2:?}; shift ;;
    --size) size=${2:?}; shift ;;
    --admin-key) admin_key=${2:?}; shift ;;
    --db-size) db_size=${2:?}; shift ;;
    --pg-version) pg_version=${2:?}; shift ;;
    --no-managed-db) managed_db=false ;;
    --state-dir) state=${2:?}; shift ;;
    -h | --help) usage ;;
    *) echo "provision: unknown argument $1" >&2; usage ;;
  esac
  shift
done
[ -n "$ssh_from" ] || { echo "provision: --ssh-from is required (who may SSH in)" >&2; usage; }
[[ $name =~ ^[a-z][a-z0-9-]{1,40}$ ]] || { echo "provision: --name must be lower-case letters, digits and dashes" >&2; exit 2; }
IFS=, read -r -a cidrs <<<"$ssh_from"
for c in "${cidrs[@]}"; do
  [[ $c =~ ^[0-9a-fA-F:.]+/[0-9]{1,3}$ ]] || { echo "provision: --ssh-from: \"$c\" is not an address/prefix" >&2; exit 2; }
done

log() { printf 'provision: %s\n' "$*" >&2; }

# doctl: runs it, or with --dry-run prints it to the original standard output (fd 3, even from
# inside $(...)) and answers with nothing, so lookups find nothing and every create is shown.
exec 3>&1
doctl_do() {
  if [ "$dry_run" = true ]; then
    local arg line="+ doctl"
    for arg in "$@"; do
      if [[ $arg =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then line+=" $arg"; else line+=" '$arg'"; fi
    done
    printf '%s\n' "$line" >&3
  else
    doctl "$@"
  fi
}

if [ "$dry_run" = true ]; then
  if [ -z "$state" ]; then
    state=$(mktemp -d)
    trap 'rm -rf "$state"' EXIT
  fi
  echo "# dry run: these doctl commands would run, in this order (nothing is created)"
else
  command -v doctl >/dev/null || { log "doctl is not installed (https://docs.digitalocean.com/reference/doctl/)"; exit 1; }
  state=${state:-$HOME/.config/snowtorch/provision/$name}
fi
mkdir -p "$state"
chmod 700 "$state"

# 1. Keys made here: the CI deploy key and the server's host key.
[ -f "$state/deploy_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$name-deploy" -f "$state/deploy_key"
[ -f "$state/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$name-host" -f "$state/host_ed25519_key"
[ -f "$state/secret_key" ] || openssl rand -hex 32 >"$state/secret_key"
if [ ! -f "$admin_key" ]; then
  if [ "$dry_run" = false ]; then
    log "no admin public key at $admin_key (give one with --admin-key FILE)"
    exit 1
  fi
  ssh-keygen -q -t ed25519 -N '' -C "$name-admin-placeholder" -f "$state/admin_placeholder"
  admin_key=$state/admin_placeholder.pub
fi

key_id() { # name, public key file: the DigitalOcean id of that key, imported when missing
  local fp id
  fp=$(ssh-keygen -l -E md5 -f "$2" | awk '{print $2}' | sed 's/^MD5://')
  id=$(doctl_do compute ssh-key list --format ID,FingerPrint --no-header | awk -v fp="$fp" '$2 == fp {print $1}' | head -1)
  if [ -z "$id" ]; then
    id=$(doctl_do compute ssh-key import "$1" --public-key-file "$2" --format ID --no-header)
    [ "$dry_run" = false ] || id="<$1-key-id>"
  fi
  printf '%s' "$id"
}
admin_key_id=$(key_id "$name-admin" "$admin_key")

# 2. cloud-init: the pinned host key, the deploy user, Docker, no password logins.
indent() { sed 's/^/      /' "$1"; }
cat >"$state/cloud-init.yaml" <<EOF
#cloud-config
# Generated by deploy/digitalocean/provision.sh. Holds the server's private host key: keep it
# out of version control (DigitalOcean keeps user data in the droplet's metadata).
ssh_deletekeys: true
ssh_genkeytypes: []
ssh_keys:
  ed25519_private: |
$(sed 's/^/    /' "$state/host_ed25519_key")
  ed25519_public: $(cat "$state/host_ed25519_key.pub")
users:
  - default
  - name: deploy
    shell: /bin/bash
    lock_passwd: true
    ssh_authorized_keys:
      - $(cat "$state/deploy_key.pub")
package_update: true
package_upgrade: true
packages:
  - docker.io
  - docker-compose-v2
  - unattended-upgrades
write_files:
  - path: /etc/ssh/sshd_config.d/50-snowtorch.conf
    content: |
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PermitRootLogin prohibit-password
runcmd:
  - usermod -aG docker deploy
  - install -d -o deploy -g deploy -m 0750 /srv/snowtorch
  - systemctl enable --now docker
  - systemctl restart ssh
EOF

# 3. The droplet.
droplet_line=$(doctl_do compute droplet list --tag-name "$name" --format ID,Name,PublicIPv4 --no-header |
  awk -v n="$name" '$2 == n' | head -1)
if [ -z "$droplet_line" ]; then
  log "creating droplet $name ($size in $region)"
  droplet_line=$(doctl_do compute droplet create "$name" --region "$region" --size "$size" --image "$image" \
    --ssh-keys "$admin_key_id" --user-data-file "$state/cloud-init.yaml" --tag-names "$name" \
    --enable-monitoring --wait --format ID,Name,PublicIPv4 --no-header)
  [ "$dry_run" = false ] || droplet_line="<droplet-id> $name <droplet-ip>"
else
  log "droplet $name exists: $droplet_line"
fi
droplet_id=$(awk '{print $1}' <<<"$droplet_line")
droplet_ip=$(awk '{print $3}' <<<"$droplet_line")

# 4. The cloud firewall, applied by tag. `update` replaces the rules, so reruns converge.
inbound=""
for c in "${cidrs[@]}"; do inbound+="protocol:tcp,ports:22,address:$c "; done
inbound+="protocol:tcp,ports:80,address:0.0.0.0/0,address:::/0 "
inbound+="protocol:tcp,ports:443,address:0.0.0.0/0,address:::/0 "
inbound+="protocol:icmp,address:0.0.0.0/0,address:::/0"
outbound="protocol:tcp,ports:all,address:0.0.0.0/0,address:::/0 protocol:udp,ports:all,address:0.0.0.0/0,address:::/0 protocol:icmp,address:0.0.0.0/0,address:::/0"
fw_id=$(doctl_do compute firewall list --format ID,Name --no-header | awk -v n="$name-fw" '$2 == n {print $1}' | head -1)
if [ -z "$fw_id" ]; then
  log "creating firewall $name-fw"
  doctl_do compute firewall create --name "$name-fw" --tag-names "$name" \
    --inbound-rules "$inbound" --outbound-rules "$outbound" --format ID --no-header >/dev/null
else
  log "firewall $name-fw exists: bringing its rules in line"
  doctl_do compute firewall update "$fw_id" --name "$name-fw" --tag-names "$name" \
    --inbound-rules "$inbound" --outbound-rules "$outbound" >/dev/null
fi

# 5. The managed PostgreSQL cluster, reachable from the droplet only.
if [ "$managed_db" = true ]; then
  db_id=$(doctl_do databases list --format ID,Name --no-header | awk -v n="$name-db" '$2 == n {print $1}' | head -1)
  if [ -z "$db_id" ]; then
    log "creating managed PostgreSQL $pg_version cluster $name-db (takes several minutes)"
    db_id=$(doctl_do databases create "$name-db" --engine pg --version "$pg_version" --region "$region" \
      --size "$db_size" --num-nodes 1 --tag "$name" --wait --format ID --no-header)
    [ "$dry_run" = false ] || db_id="<database-id>"
  fi
  # Replace, not append: the droplet is the one and only trusted source.
  doctl_do databases firewalls replace "$db_id" --rule "droplet:$droplet_id" >/dev/null
  if ! doctl_do databases db list "$db_id" --format Name --no-header | grep -qx snowtorch; then
    doctl_do databases db create "$db_id" snowtorch >/dev/null
  fi
  if ! doctl_do databases user list "$db_id" --format Name --no-header | grep -qx snowtorch; then
    doctl_do databases user create "$db_id" snowtorch >/dev/null
  fi
  sql_password=$(doctl_do databases user get "$db_id" snowtorch --format Password --no-header)
  # The private (VPC) address: the droplet and the cluster share the region's network.
  conn=$(doctl_do databases connection "$db_id" --private --format Host,Port --no-header)
  if [ "$dry_run" = true ]; then
    doctl_do databases get-ca "$db_id" --format Certificate --no-header
    conn="<private-db-host> <db-port>"
    sql_password="<db-password>"
  else
    doctl databases get-ca "$db_id" --format Certificate --no-header | base64 -d >"$state/db-ca.crt"
  fi
  sql_host=$(awk '{print $1}' <<<"$conn")
  sql_port=$(awk '{print $2}' <<<"$conn")
fi

# 6. What CI needs. Secrets go to a private file, not the terminal.
known_hosts="$droplet_ip $(cut -d' ' -f1,2 "$state/host_ed25519_key.pub")"
{
  echo "# CI variables for Snowtorch ($name), written by provision.sh. Secret: keep it private."
  echo "DEPLOY_HOST=$droplet_ip"
  echo "DEPLOY_USER=deploy"
  echo "SSH_KNOWN_HOSTS=$known_hosts"
  echo "SNOWTORCH_SECRET_KEY=$(cat "$state/secret_key")"
  if [ "$managed_db" = true ]; then
    echo "COMPOSE_FILES=compose.yaml:compose.managed-db.yaml"
    echo "SQL_HOST=$sql_host"
    echo "SQL_PORT=$sql_port"
    echo "SQL_USER=snowtorch"
    echo "SQL_PASSWORD=$sql_password"
    echo "SQL_DATABASE=snowtorch"
  else
    echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
  fi
} >"$state/ci-variables.env"

cat <<EOF

Set these CI variables (GitLab: Settings > CI/CD > Variables, protected; GitHub: the
\`production\` environment's variables and secrets). Values are in $state:
  DEPLOY_HOST            $droplet_ip
  DEPLOY_USER            deploy
  SSH_KNOWN_HOSTS        $known_hosts
  SSH_PRIVATE_KEY        (secret) the contents of $state/deploy_key
  SNOWTORCH_SECRET_KEY   (secret) in $state/ci-variables.env
EOF
if [ "$managed_db" = true ]; then
  cat <<EOF
  COMPOSE_FILES          compose.yaml:compose.managed-db.yaml
  SQL_HOST               $sql_host
  SQL_PORT               $sql_port
  SQL_USER               snowtorch
  SQL_DATABASE           snowtorch
  SQL_PASSWORD           (secret) in $state/ci-variables.env
  DB_CA_CERT             the contents of $state/db-ca.crt
EOF
else
  echo "  POSTGRES_PASSWORD      (secret) in $state/ci-variables.env"
fi
cat <<EOF
and yourself: SNOWTORCH_DOMAIN, LETSENCRYPT_EMAIL, OURA_CLIENT_ID, OURA_CLIENT_SECRET (secret).
Point the domain's A record at $droplet_ip before the first deploy (certbot needs it).
Keep $state: it holds the deploy key and the server's host key.
EOF
