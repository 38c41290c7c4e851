#!/usr/bin/env bash
# Every delivery shell script parses (bash -n / sh -n) and passes shellcheck at warning level.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
need_pkg shellcheck shellcheck || { not_ok "shellcheck is installed"; exit 1; }

cd "$DELIVERY_ROOT" || exit 1
scripts=(deploy/*.sh deploy/digitalocean/*.sh deploy/nginx/*.sh scripts/delivery/*.sh scripts/delivery/stub/docker)
for f in "${scripts[@]}"; do
  case $(head -3 "$f") in
    *bash*) check "$f parses (bash -n)" bash -n "$f" ;;
    *) check "$f parses (sh -n)" sh -n "$f" ;;
  esac
done
check "shellcheck finds no warning in the delivery scripts" shellcheck -x -S warning "${scripts[@]}"
for f in deploy/*.sh deploy/digitalocean/*.sh deploy/nginx/*.sh scripts/delivery/check-*.sh scripts/delivery/image-smoke.sh scripts/delivery/stub/docker; do
  check "$f is executable" test -x "$f"
done
finish
