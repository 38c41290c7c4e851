#!/usr/bin/env bash
# deploy/digitalocean/provision.sh: the --dry-run plan (every doctl command, none run, no doctl
# needed) names the resources and flags docs/deploy.md promises; the cloud-init it writes pins
# the host key that CI is told to trust; and a second run against a recording stand-in `doctl`
# that reports the resources as existing creates nothing again (idempotent).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
py=$(yaml_python) || { not_ok "a YAML parser for Python (PyYAML) is available"; exit 1; }

P=$DELIVERY_ROOT/deploy/digitalocean/provision.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ssh-keygen -q -t ed25519 -N '' -C admin -f "$T/admin" || exit 1
nodoctl_path=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -x "$d/doctl" ] || printf '%s:' "$d"; done)

env PATH="$nodoctl_path" "$P" --dry-run --ssh-from 203.0.113.7/32,2001:db8::/48 --admin-key "$T/admin.pub" \
  --state-dir "$T/state" >"$T/plan" 2>"$T/plan.err"
rc=$?
check "--dry-run succeeds without doctl installed (exit $rc)" test $rc = 0
check "--dry-run prints only doctl commands before the summary" \
  bash -c "sed '/^\$/,\$d' '$T/plan' | grep -v '^#' | grep -v '^+ doctl ' | grep -q . && exit 1 || exit 0"
has() { grep -qE -- "$1" "$T/plan"; }
check "plan: imports the admin SSH key (when missing)" has '^\+ doctl compute ssh-key import snowtorch-admin --public-key-file '
check "plan: creates the droplet from Ubuntu with the SSH key, cloud-init, tag, monitoring, --wait" \
  has '^\+ doctl compute droplet create snowtorch .*--image ubuntu-24-04-x64 .*--ssh-keys .*--user-data-file [^ ]*cloud-init.yaml .*--tag-names snowtorch .*--enable-monitoring --wait'
fw=$(grep '^+ doctl compute firewall create' "$T/plan")
check "plan: creates a cloud firewall for the tagged droplet" grep -q -- "--name snowtorch-fw --tag-names snowtorch" <<<"$fw"
check "plan: firewall allows SSH from each given address" \
  bash -c "grep -q 'protocol:tcp,ports:22,address:203.0.113.7/32' <<<\"\$1\" && grep -q 'protocol:tcp,ports:22,address:2001:db8::/48' <<<\"\$1\"" _ "$fw"
refute "plan: firewall never opens SSH to everyone" grep -qE 'ports:22,address:(0\.0\.0\.0/0|::/0)' <<<"$fw"
check "plan: firewall opens 80 and 443 to everyone (IPv4 and IPv6)" \
  bash -c "grep -q 'protocol:tcp,ports:80,address:0.0.0.0/0,address:::/0' <<<\"\$1\" && grep -q 'protocol:tcp,ports:443,address:0.0.0.0/0,address:::/0' <<<\"\$1\"" _ "$fw"
refute "plan: no other inbound TCP port is opened" \
  bash -c "grep -oE 'protocol:tcp,ports:[0-9a-z-]+' <<<\"\${1%%--outbound-rules*}\" | grep -vE 'ports:(22|80|443)$'" _ "$fw"
check "plan: creates a managed PostgreSQL cluster (engine pg, version, size, --wait)" \
  has '^\+ doctl databases create snowtorch-db --engine pg --version 17 --region fra1 --size db-s-1vcpu-1gb --num-nodes 1 .*--wait'
check "plan: the droplet becomes the cluster's only trusted source (replace, not append)" \
  has "^\+ doctl databases firewalls replace .* --rule 'droplet:<droplet-id>'|^\+ doctl databases firewalls replace .* --rule droplet:"
check "plan: creates the snowtorch database and user" \
  bash -c "grep -q '^+ doctl databases db create .* snowtorch' '$T/plan' && grep -q '^+ doctl databases user create .* snowtorch' '$T/plan'"
check "plan: fetches the cluster's CA certificate and private connection" \
  bash -c "grep -q '^+ doctl databases get-ca' '$T/plan' && grep -q '^+ doctl databases connection .* --private' '$T/plan'"
for v in DEPLOY_HOST DEPLOY_USER SSH_KNOWN_HOSTS SSH_PRIVATE_KEY SNOWTORCH_SECRET_KEY COMPOSE_FILES \
  SQL_HOST SQL_PORT SQL_USER SQL_PASSWORD SQL_DATABASE DB_CA_CERT SNOWTORCH_DOMAIN LETSENCRYPT_EMAIL \
  OURA_CLIENT_ID OURA_CLIENT_SECRET; do
  check "plan: prints the CI variable $v" grep -qE "(^|[[:space:]])$v([[:space:]]|,|$)" "$T/plan"
done
refute "plan: prints no private key or password" grep -qE 'PRIVATE KEY-----|SQL_PASSWORD=' "$T/plan"

cloudinit() {
  "$py" - "$T/state" "$T/plan" <<'PY'
import re, sys, yaml
state, plan = sys.argv[1], open(sys.argv[2]).read()
text = open(f"{state}/cloud-init.yaml").read()
assert text.startswith("#cloud-config\n"), "no #cloud-config header"
c = yaml.safe_load(text)
host_pub = open(f"{state}/host_ed25519_key.pub").read().split()[:2]
assert c["ssh_keys"]["ed25519_public"].split()[:2] == host_pub, "host key in cloud-init differs"
assert c["ssh_keys"]["ed25519_private"].strip() == open(f"{state}/host_ed25519_key").read().strip()
assert c["ssh_genkeytypes"] == [] and c["ssh_deletekeys"] is True, "other host keys would be generated"
known = re.search(r"SSH_KNOWN_HOSTS\s+(\S+) (\S+) (\S+)", plan)
assert known and [known.group(2), known.group(3)] == host_pub, "printed known_hosts does not pin the cloud-init host key"
deploy = next(u for u in c["users"] if isinstance(u, dict) and u["name"] == "deploy")
assert deploy["ssh_authorized_keys"][0].split()[:2] == open(f"{state}/deploy_key.pub").read().split()[:2]
assert deploy.get("lock_passwd") is True
assert "docker.io" in c["packages"] and "docker-compose-v2" in c["packages"]
sshd = next(f for f in c["write_files"] if "sshd_config" in f["path"])["content"]
assert "PasswordAuthentication no" in sshd
assert any("usermod -aG docker deploy" in str(r) for r in c["runcmd"])
PY
}
check "cloud-init: pins the generated host key, which is the one printed for SSH_KNOWN_HOSTS" cloudinit
check "cloud-init: the state directory is private (0700)" test "$(stat -c %a "$T/state")" = 700

env PATH="$nodoctl_path" "$P" --dry-run --no-managed-db --ssh-from 203.0.113.7/32 --admin-key "$T/admin.pub" >"$T/plan2" 2>/dev/null
check "--no-managed-db: no database commands, POSTGRES_PASSWORD for compose instead" \
  bash -c "! grep -q 'doctl databases' '$T/plan2' && grep -q POSTGRES_PASSWORD '$T/plan2' && ! grep -q COMPOSE_FILES '$T/plan2'"
refute "--ssh-from is required" env PATH="$nodoctl_path" "$P" --dry-run --admin-key "$T/admin.pub"
refute "--ssh-from with a bad address is refused" env PATH="$nodoctl_path" "$P" --dry-run --ssh-from 'x; rm -rf /' --admin-key "$T/admin.pub"

# Idempotence, with a recording stand-in doctl: first everything is missing, then everything
# exists. The second run must create nothing and bring the firewall's rules in line.
mkdir -p "$T/bin"
cat >"$T/bin/doctl" <<'EOF'
#!/usr/bin/env bash
echo "$*" >>"$STUB_DIR/calls"
exists=$([ -f "$STUB_DIR/exists" ] && echo 1)
case "$*" in
  "compute ssh-key list"*) [ -n "$exists" ] && echo "111 $(cat "$STUB_DIR/fp")" ;;
  "compute ssh-key import"*) echo 111 ;;
  "compute droplet list"*) [ -n "$exists" ] && echo "222 snowtorch 192.0.2.10" ;;
  "compute droplet create"*) echo "222 snowtorch 192.0.2.10" ;;
  "compute firewall list"*) [ -n "$exists" ] && echo "333 snowtorch-fw" ;;
  "databases list"*) [ -n "$exists" ] && echo "444 snowtorch-db" ;;
  "databases create"*) echo 444 ;;
  "databases db list"*) [ -n "$exists" ] && echo snowtorch ;;
  "databases user list"*) [ -n "$exists" ] && echo snowtorch ;;
  "databases user get"*) echo "stub-password" ;;
  "databases connection"*) echo "private-db.invalid 25060" ;;
  "databases get-ca"*) printf 'stub-ca\n' | base64 ;;
esac
exit 0
EOF
chmod +x "$T/bin/doctl"
mkdir -p "$T/stub"
ssh-keygen -l -E md5 -f "$T/admin.pub" | awk '{print $2}' | sed 's/^MD5://' >"$T/stub/fp"
run_stub() { env PATH="$T/bin:$PATH" STUB_DIR="$T/stub" "$P" --ssh-from 203.0.113.7/32 --admin-key "$T/admin.pub" --state-dir "$T/real-state" >"$T/run.out" 2>&1; }
run_stub
check "first run creates the key, droplet, firewall, cluster, database and user" \
  bash -c "for c in 'compute ssh-key import' 'compute droplet create' 'compute firewall create' 'databases create' 'databases db create' 'databases user create' 'databases firewalls replace 444 --rule droplet:222'; do grep -q \"^\$c\" '$T/stub/calls' || { echo missing: \$c; exit 1; }; done"
check "first run writes the CI variables privately, with the database CA" \
  bash -c "[ \"\$(stat -c %a '$T/real-state/ci-variables.env')\" = 600 ] && grep -q '^SQL_HOST=private-db.invalid' '$T/real-state/ci-variables.env' && [ \"\$(cat '$T/real-state/db-ca.crt')\" = stub-ca ]"
host_key_before=$(cat "$T/real-state/host_ed25519_key.pub")
touch "$T/stub/exists"
: >"$T/stub/calls"
run_stub
check "second run creates nothing" bash -c "! grep -E ' (create|import) ' '$T/stub/calls' | grep -v 'firewalls replace'"
check "second run updates the firewall rules in place" grep -q '^compute firewall update 333 ' "$T/stub/calls"
check "second run keeps the droplet as the cluster's only trusted source" grep -q '^databases firewalls replace 444 --rule droplet:222' "$T/stub/calls"
check "second run keeps the same host key (the pinned known_hosts stays valid)" \
  test "$(cat "$T/real-state/host_ed25519_key.pub")" = "$host_key_before"
finish
