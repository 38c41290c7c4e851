# Helpers for the delivery checks (sourced). Each check prints "ok - ..." or "not ok - ...";
# scripts/delivery/check-all.sh counts them.
# shellcheck shell=bash

DELIVERY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DELIVERY_ROOT
failures=0

ok() { printf 'ok - %s\n' "$*"; }
not_ok() {
  printf 'not ok - %s\n' "$*"
  failures=$((failures + 1))
}

# check DESCRIPTION COMMAND...: passes when the command succeeds; shows its output otherwise.
check() {
  local desc=$1 out
  shift
  out=$(mktemp)
  if "$@" >"$out" 2>&1; then
    ok "$desc"
  else
    not_ok "$desc"
    tail -n 25 "$out" | sed 's/^/    /'
  fi
  rm -f "$out"
}

# refute DESCRIPTION COMMAND...: passes when the command fails.
refute() {
  local desc=$1 out
  shift
  out=$(mktemp)
  if "$@" >"$out" 2>&1; then
    not_ok "$desc"
    tail -n 25 "$out" | sed 's/^/    /'
  else
    ok "$desc"
  fi
  rm -f "$out"
}

# need_pkg COMMAND PACKAGE: installs the Debian package when the command is missing.
need_pkg() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "delivery: $1 is missing (apt-get install $2)" >&2
    return 1
  fi
  if [ "${DELIVERY_APT_UPDATED:-0}" != 1 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    export DELIVERY_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1
  command -v "$1" >/dev/null 2>&1
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT SECONDS
wait_for_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

finish() {
  [ "$failures" -eq 0 ]
}

# A python3 that can `import yaml` (the machine's, or Debian's python3 with python3-yaml).
yaml_python() {
  local py
  for py in python3 /usr/bin/python3; do
    if "$py" -c 'import yaml' 2>/dev/null; then
      echo "$py"
      return 0
    fi
  done
  need_pkg /usr/bin/python3 python3 >/dev/null 2>&1
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null 2>&1
  fi
  /usr/bin/python3 -c 'import yaml' 2>/dev/null && echo /usr/bin/python3
}
