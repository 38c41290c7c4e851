#!/usr/bin/env bash
# Writes an env file for the server (compose's `.env`) from variables of the current
# environment, e.g. CI variables:
#
#   deploy/write-env.sh -o .deploy.env SNOWTORCH_SECRET_KEY OURA_CLIENT_ID 'LOG_LEVEL?'
#
# Each NAME must be set and non-empty; `NAME?` is written only when set. Values are written
# single-quoted (NAME='value'), which docker compose (v1 and v2) and POSIX shells read literally:
# spaces, double quotes, `$`, backslashes and `#` survive unchanged and nothing is expanded.
# Refused, naming the variable (never printing the value), are the few values that cannot be
# written so that every reader agrees: a single quote or a line break; `${`, which
# docker-compose v1 expands even inside quotes; and a backslash before another backslash or at
# the very end, which v1 unescapes and v2 reads as an escaped closing quote. The file is created with umask 077
# (mode 0600) and replaced atomically; with -o - it goes to standard output.
set -euo pipefail
umask 077

usage() {
  echo "usage: $0 [-o FILE|-] NAME [NAME?...]" >&2
  exit 2
}

out=-
if [ "${1:-}" = -o ]; then
  [ $# -ge 2 ] || usage
  out=$2
  shift 2
fi
[ $# -ge 1 ] || usage

nl=$'\n'
cr=$'\r'
content=""
errors=0
for spec in "$@"; do
  name=${spec%\?}
  optional=false
  [ "$name" != "$spec" ] && optional=true
  if ! [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
    echo "write-env: \"$name\" is not a valid variable name" >&2
    errors=$((errors + 1))
    continue
  fi
  if [ -z "${!name+set}" ] || [ -z "${!name}" ]; then
    if [ "$optional" = false ]; then
      echo "write-env: $name is not set" >&2
      errors=$((errors + 1))
    fi
    continue
  fi
  value=${!name}
  case $value in
    *"'"* | *"$nl"* | *"$cr"* | *'${'* | *'\\'* | *'\')
      echo "write-env: $name contains a single quote, a line break, \"\${\" or a doubled or final backslash, which an env file cannot hold safely; change the value" >&2
      errors=$((errors + 1))
      continue
      ;;
  esac
  content+="$name='$value'$nl"
done
[ "$errors" -eq 0 ] || exit 1

if [ "$out" = - ]; then
  printf '%s' "$content"
else
  dir=$(dirname -- "$out")
  tmp=$(mktemp "$dir/.env.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  printf '%s' "$content" >"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$out"
  trap - EXIT
fi
