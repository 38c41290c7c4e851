#!/usr/bin/env bash
# deploy/deploy.sh against a real sshd on 127.0.0.1 (throwaway host key, user key, high port)
# whose `docker` is the recording stand-in stub/docker: a good deploy, a second one, a version
# that never becomes ready (automatic rollback), migrations that fail, --rollback on demand, a
# concurrent deploy (refused by the host's lock), and changed or unknown host keys (refused).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
need_pkg sshd openssh-server || { not_ok "openssh-server is installed"; exit 1; }
need_pkg flock util-linux || { not_ok "flock is installed"; exit 1; }

T=$(mktemp -d /tmp/snowtorch-deploy-test.XXXXXX)
chmod 755 "$T"
cleanup() {
  [ -f "$T/sshd.pid" ] && kill "$(cat "$T/sshd.pid")" 2>/dev/null
  [ -n "${DELIVERY_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

mkdir -p "$T/bin" "$T/state" "$T/srv" "$T/keys"
cp "$here/stub/docker" "$T/bin/docker"
ssh-keygen -q -t ed25519 -N '' -C snowtorch-test-host -f "$T/keys/host" || exit 1
ssh-keygen -q -t ed25519 -N '' -C snowtorch-test-other-host -f "$T/keys/other-host" || exit 1
ssh-keygen -q -t ed25519 -N '' -C snowtorch-test-deployer -f "$T/keys/user" || exit 1
cp "$T/keys/user.pub" "$T/authorized_keys"
port=$(free_port)
user=$(id -un)

cat >"$T/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $T/keys/host
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
SetEnv PATH=$T/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin STUB_STATE=$T/state READY_POLL_SECONDS=1
LogLevel ERROR
EOF
mkdir -p /run/sshd 2>/dev/null
if ! /usr/sbin/sshd -f "$T/sshd_config" -E "$T/sshd.log"; then
  not_ok "throwaway sshd starts on 127.0.0.1:$port"
  cat "$T/sshd.log"
  exit 1
fi
wait_for_port "$port" 10 || { not_ok "sshd answers on 127.0.0.1:$port"; exit 1; }

printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$T/keys/host.pub")" >"$T/known_hosts"
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$T/keys/other-host.pub")" >"$T/known_hosts.wrong"
printf '[127.0.0.1]:%s %s\n' "$((port + 1))" "$(cut -d' ' -f1,2 "$T/keys/host.pub")" >"$T/known_hosts.unknown"

# The env file the pipelines would write from their variables, with awkward values.
(
  export SNOWTORCH_SECRET_KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  export OURA_CLIENT_SECRET='sp ace "dq" $HOME \back #hash'
  export POSTGRES_PASSWORD='p$w0rd with spaces'
  "$DELIVERY_ROOT/deploy/write-env.sh" -o "$T/deploy.env" SNOWTORCH_SECRET_KEY OURA_CLIENT_SECRET POSTGRES_PASSWORD
) || { not_ok "write-env.sh writes the deploy env file"; exit 1; }

registry_password='reg-pa$$word "x"'
deploy() { # [deploy.sh args...]; HOST is appended
  env DEPLOY_USER="$user" DEPLOY_PORT="$port" DEPLOY_PATH="$T/srv" \
    SSH_KEY_FILE="$T/keys/user" SSH_KNOWN_HOSTS_FILE="${KNOWN_HOSTS:-$T/known_hosts}" \
    ENV_FILE="$T/deploy.env" REGISTRY=registry.invalid REGISTRY_USER=ci \
    REGISTRY_PASSWORD="$registry_password" READY_TIMEOUT=3 \
    "$DELIVERY_ROOT/deploy/deploy.sh" "$@" 127.0.0.1
}
calls() { cat "$T/state/calls.log" 2>/dev/null; }
mark() { calls | wc -l; }
calls_since() { calls | tail -n +"$(($1 + 1))"; }
current() { cat "$T/srv/releases/current" 2>/dev/null; }
previous() { cat "$T/srv/releases/previous" 2>/dev/null; }
running() { cat "$T/state/running" 2>/dev/null; }
img=registry.invalid/team/snowtorch

# 1. A good deploy.
m=$(mark)
deploy --image "$img:good1" >"$T/out1" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "good deploy succeeds"; else not_ok "good deploy succeeds (exit $rc)"; sed 's/^/    /' "$T/out1"; fi
check "good deploy: the new image runs and is recorded as current" \
  test "$(running)|$(current)" = "$img:good1|$img:good1"
order=$(calls_since "$m" | sed -E 's/^(docker [a-z]+|compose [a-z]+).*/\1/' | uniq | tr '\n' ' ')
check "good deploy: login, pull, migrate, up, readiness, nginx reload, ps, logout in that order ($order)" \
  test "$order" = "docker login compose pull compose run compose up compose exec compose ps docker logout "
check "good deploy: migrations ran with the new image" \
  grep -q "compose run --rm -T app node bin/snowtorch.js migrate image=$img:good1" "$T/state/calls.log"
check "registry password reached docker login on stdin" test "$(cat "$T/state/login-stdin")" = "$registry_password"
refute "registry password never appears in a command line" grep -qF "reg-pa" "$T/state/calls.log"
check "server .env has mode 0600" test "$(stat -c %a "$T/srv/.env")" = 600
check "server .env names the image and compose files" \
  grep -qx "SNOWTORCH_IMAGE='$img:good1'" "$T/srv/.env"
check "server .env keeps awkward values byte for byte" \
  grep -qxF "OURA_CLIENT_SECRET='sp ace \"dq\" \$HOME \\back #hash'" "$T/srv/.env"
check "compose files and nginx config are installed on the server" \
  test -f "$T/srv/compose.yaml" -a -f "$T/srv/compose.managed-db.yaml" -a -f "$T/srv/deploy/nginx/nginx.conf" -a -x "$T/srv/deploy/nginx/40-snowtorch-tls.sh"
check "the staging directory (with the registry password) is removed" \
  test -z "$(ls -A "$T/srv/incoming")"

# 2. A second good deploy: the first becomes "previous".
deploy --image "$img:good2" >"$T/out2" 2>&1
check "second deploy succeeds and remembers the previous image" \
  test "$(current)|$(previous)|$(running)" = "$img:good2|$img:good1|$img:good2"

# 3. A version that never becomes ready: automatic rollback, deploy fails.
m=$(mark)
deploy --image "$img:bad3" >"$T/out3" 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok "deploy of a never-ready version fails (exit 1)"; else not_ok "deploy of a never-ready version fails (exit $rc)"; sed 's/^/    /' "$T/out3"; fi
check "never-ready version: bad3 was started, then good2 again" \
  bash -c "printf '%s\n' \"\$1\" | grep -q 'compose up .*image=$img:bad3' && printf '%s\n' \"\$1\" | grep 'compose up' | tail -1 | grep -q 'image=$img:good2'" _ "$(calls_since "$m")"
check "never-ready version: good2 runs and stays current" \
  test "$(running)|$(current)|$(previous)" = "$img:good2|$img:good2|$img:good1"
check "never-ready version: .env points at good2 again" grep -qx "SNOWTORCH_IMAGE='$img:good2'" "$T/srv/.env"
check "never-ready version: the output says it rolled back" grep -q "rolled back to $img:good2" "$T/out3"

# 4. Migrations that fail: nothing is started.
m=$(mark)
deploy --image "$img:badmigrate4" >"$T/out4" 2>&1
rc=$?
check "failing migrations: deploy fails and no container is replaced (exit $rc)" \
  bash -c "[ $rc -eq 1 ] && ! printf '%s\n' \"\$1\" | grep -q 'compose up' && [ \"\$(cat '$T/state/running')\" = '$img:good2' ]" _ "$(calls_since "$m")"

# 5. Rollback on demand.
deploy --rollback >"$T/out5" 2>&1
rc=$?
check "--rollback succeeds (exit $rc) and brings back good1" \
  test "$rc|$(running)|$(current)|$(previous)" = "0|$img:good1|$img:good1|$img:good2"

# 6. Two deploys at once: the second is refused by the lock.
STUB_SLOW=1 deploy --image "$img:slow6" >"$T/out6" 2>&1 &
first=$!
for _ in $(seq 100); do grep -q "image=$img:slow6" "$T/state/calls.log" 2>/dev/null && break; sleep 0.1; done
m=$(mark)
deploy --image "$img:good7" >"$T/out7" 2>&1
rc=$?
wait "$first"
rc_first=$?
check "concurrent deploy is refused with exit 75 (got $rc)" test "$rc" = 75
check "concurrent deploy says another deploy is running" grep -q "another deploy is running" "$T/out7"
refute "concurrent deploy touched nothing" bash -c "printf '%s\n' \"\$1\" | grep -q 'good7'" _ "$(calls_since "$m")"
check "the first deploy finishes normally (exit $rc_first)" \
  test "$rc_first|$(current)" = "0|$img:slow6"

# 7. A host key that is not the pinned one: refused before anything runs.
m=$(mark)
KNOWN_HOSTS="$T/known_hosts.wrong" deploy --image "$img:good8" >"$T/out8" 2>&1
rc=$?
check "changed host key: ssh refuses (exit $rc)" test "$rc" = 255
check "changed host key: ssh reports the mismatch" \
  grep -qE "REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed" "$T/out8"
check "changed host key: nothing ran on the host" test "$(mark)" = "$m"

# 8. A host that is not in known_hosts at all: refused, never trusted on first use.
KNOWN_HOSTS="$T/known_hosts.unknown" deploy --image "$img:good9" >"$T/out9" 2>&1
rc=$?
check "unknown host key: refused, not trusted on first use (exit $rc)" \
  bash -c "[ $rc = 255 ] && grep -q 'Host key verification failed' '$T/out9' && [ \"\$(wc -l <'$T/state/calls.log')\" = $m ]"

# 9. Bad input never reaches the host.
refute "an image reference with shell syntax is refused locally" deploy --image "$img:x;touch /tmp/pwned"
finish
