#!/usr/bin/env bash
# deploy/write-env.sh with hostile values: what it writes must read back byte for byte in a
# POSIX shell and in docker-compose's .env parser; what it cannot write safely it refuses,
# naming the variable without echoing the value; the file is private (0600) whatever the umask.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
need_pkg docker-compose docker-compose || { not_ok "docker-compose (v1) is installed"; exit 1; }
py=$(yaml_python) || { not_ok "a YAML parser for Python (PyYAML) is available"; exit 1; }

W=$DELIVERY_ROOT/deploy/write-env.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# Values that break naive `echo VAR=$VAR >> .env`.
export V_SPACES='  two  spaces and trailing  '
export V_DQUOTES='say "hello" to "x"'
export V_DOLLAR='pa$word $HOME $$ $1 x$'
export V_BACKSLASH='C:\path\n\t\x end'
export V_HASH='value # not a comment'
export V_EQUALS='a=b=c; d&e|f<g>h `id` $(id)'
export V_UNICODE='söme ünïcode ✓'
names=(V_SPACES V_DQUOTES V_DOLLAR V_BACKSLASH V_HASH V_EQUALS V_UNICODE)

(umask 000 && "$W" -o "$T/.env" "${names[@]}" 'V_UNSET_OPTIONAL?') >"$T/log" 2>&1
check "writes the env file (exit 0)" test -f "$T/.env"
check "file mode is 0600 even under umask 000" test "$(stat -c %a "$T/.env")" = 600
refute "an unset optional variable is left out" grep -q V_UNSET_OPTIONAL "$T/.env"

roundtrip_shell() {
  local name
  (
    for name in "${names[@]}"; do unset "$name"; done
    set -a
    # shellcheck source=/dev/null
    . "$T/.env"
    for name in "${names[@]}"; do printf '%s=%s\n' "$name" "${!name}"; done
  ) >"$T/shell.out"
  for name in "${names[@]}"; do printf '%s=%s\n' "$name" "${!name}"; done >"$T/expected.out"
  diff "$T/expected.out" "$T/shell.out"
}
check "every value reads back unchanged in a POSIX shell (. .env)" roundtrip_shell

roundtrip_compose() {
  {
    echo "services:"
    echo "  probe:"
    echo "    image: busybox"
    echo "    environment:"
    for name in "${names[@]}"; do echo "      $name: \${$name}"; done
  } >"$T/compose.yaml"
  (cd "$T" && env -i PATH="$PATH" docker-compose -f compose.yaml config) >"$T/config.yaml" || return 1
  "$py" - "$T/config.yaml" "$T/expected.out" <<'PY'
import sys, yaml
env = yaml.safe_load(open(sys.argv[1]))["services"]["probe"]["environment"]
expected = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[2]))
bad = []
for k, v in expected.items():
    got = env.get(k).replace("$$", "$")  # `config` prints a literal $ as $$
    if got != v:
        bad.append(f"{k}: expected {v!r}, compose read {got!r}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}
check "every value reads back unchanged through docker-compose's .env parser" roundtrip_compose

refused() { # desc value
  local out
  printf 'KEEP=1\n' >"$T/existing.env"
  out=$(V_HOSTILE=$2 "$W" -o "$T/existing.env" V_SPACES V_HOSTILE 2>&1)
  local rc=$?
  [ $rc -ne 0 ] || { echo "accepted"; return 1; }
  grep -q 'V_HOSTILE' <<<"$out" || { echo "message does not name the variable: $out"; return 1; }
  if [ -n "$3" ] && grep -qF -- "$3" <<<"$out"; then echo "message leaks the value: $out"; return 1; fi
  [ "$(cat "$T/existing.env")" = "KEEP=1" ] || { echo "existing file was changed"; return 1; }
}
check "a newline in a value is refused, naming the variable, file untouched" refused nl $'line1\nsecret-line2' secret-line2
check "a carriage return in a value is refused" refused cr $'abc\rsecret-cr' secret-cr
check "a single quote in a value is refused" refused sq "it's-secret" "it's-secret"
check "\${ in a value (expanded by docker-compose v1 even in quotes) is refused" refused dollarbrace 'x${HOME}secret' 'x${HOME}secret'
check "a doubled backslash (unescaped by docker-compose v1) is refused" refused dbs 'a\\\\secret' 'a\\\\secret'
check "a final backslash (an escaped closing quote to compose v2) is refused" refused fbs 'secret\' 'secret\'

missing() {
  local out
  out=$(env -u V_MISSING "$W" V_SPACES V_MISSING 2>&1) && return 1
  grep -q "V_MISSING is not set" <<<"$out"
}
check "a required variable that is unset is an error naming it" missing
empty() { V_EMPTY='' "$W" V_EMPTY >/dev/null 2>&1 && return 1; return 0; }
check "a required variable that is empty is an error" empty
badname() { "$W" 'BAD-NAME' >/dev/null 2>&1 && return 1; return 0; }
check "an invalid variable name is an error" badname
stdout_mode() { [ "$("$W" V_HASH)" = "V_HASH='value # not a comment'" ]; }
check "-o - (default) writes to standard output" stdout_mode
finish
