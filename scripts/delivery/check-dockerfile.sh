#!/usr/bin/env bash
# The Dockerfile: dockerfilelint (from the npm registry, pinned), and structural checks
# (dockerfile_checks.py): pinned Node 24 slim base, multi-stage, production dependencies only,
# non-root, tini + exec-form node, curl-free HEALTHCHECK, build-time-only extra CA, allow-list
# .dockerignore. scripts/delivery/image-smoke.sh builds and runs it for real.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"

lint() {
  (cd "$DELIVERY_ROOT" && npx --yes dockerfilelint@1.8.0 -c "$here/dockerfilelint" Dockerfile)
}
check "dockerfilelint finds no issue" lint
python3 "$here/dockerfile_checks.py" "$DELIVERY_ROOT" || failures=$((failures + 1))
finish
