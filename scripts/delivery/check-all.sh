#!/usr/bin/env bash
# Every delivery check behind one entry point (CI-safe: no standard input needed). Installs
# the Debian packages it needs when missing (one apt-get update), runs each check script
# (each prints "ok - ..." / "not ok - ..." lines) and ends with a plain line
# "N passed, N failed", counting every check; exits non-zero when any failed.
#   scripts/delivery/check-all.sh              all checks
#   scripts/delivery/check-all.sh nginx deploy-ssh    only those (names without check-)
# The image smoke test (podman build + run, the slowest) runs alongside the others.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec </dev/null
start_all=$SECONDS

# Debian packages: command -> package. One update, one install, only for what is missing.
missing=()
for pair in docker-compose:docker-compose nginx:nginx /usr/sbin/sshd:openssh-server podman:podman \
  runc:runc buildah:buildah debootstrap:debootstrap shellcheck:shellcheck curl:curl flock:util-linux \
  psql:postgresql-client pg_dump:postgresql-client ssh-keygen:openssh-client openssl:openssl setsid:util-linux; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
done
python3 -c 'import yaml' 2>/dev/null || /usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing: ${missing[*]}"
    mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
    apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" \
      >/dev/null 2>&1 || echo "apt-get install failed" >&2
  else
    echo "missing packages (not root, not installing): ${missing[*]}" >&2
  fi
fi
export DELIVERY_APT_UPDATED=1

if [ $# -gt 0 ]; then checks=("$@"); else
  checks=(shell dockerfile compose write-env nginx pipelines backup-restore deploy-ssh provision image-smoke)
fi
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
script_for() { if [ "$1" = image-smoke ]; then echo "$here/image-smoke.sh"; else echo "$here/check-$1.sh"; fi; }

passed=0
failed=0
report() { # name, seconds, exit code: print its log and add up its checks
  local name=$1 secs=$2 rc=$3 p f
  cat "$logs/$name.log"
  p=$(grep -c '^ok - ' "$logs/$name.log")
  f=$(grep -c '^not ok - ' "$logs/$name.log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok - $name exited with $rc"
    f=1
  fi
  echo "== $name: $p passed, $f failed (${secs} s)"
  passed=$((passed + p))
  failed=$((failed + f))
}

smoke_pid=""
for name in "${checks[@]}"; do
  if [ "$name" = image-smoke ]; then
    echo "== image-smoke: started in the background"
    (
      s=$SECONDS
      timeout 1500 bash "$here/image-smoke.sh" >"$logs/image-smoke.log" 2>&1
      echo "$? $((SECONDS - s))" >"$logs/image-smoke.status"
    ) &
    smoke_pid=$!
  fi
done
for name in "${checks[@]}"; do
  [ "$name" = image-smoke ] && continue
  script=$(script_for "$name")
  if [ ! -f "$script" ]; then
    echo "not ok - unknown check $name" >"$logs/$name.log"
    report "$name" 0 1
    continue
  fi
  echo "== $name"
  s=$SECONDS
  timeout 600 bash "$script" >"$logs/$name.log" 2>&1
  rc=$?
  report "$name" $((SECONDS - s)) $rc
done
if [ -n "$smoke_pid" ]; then
  echo "== image-smoke (waiting for it)"
  wait "$smoke_pid"
  read -r rc secs <"$logs/image-smoke.status" || { rc=1; secs=0; }
  report image-smoke "$secs" "$rc"
fi

echo "== delivery checks took $((SECONDS - start_all)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
