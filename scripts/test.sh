#!/usr/bin/env bash
# The whole test suite, on a fresh machine: Node.js 24, dependencies, Chromium for the browser
# tests, a PostgreSQL on 127.0.0.1:5432 (started when none answers), then every test on the
# embedded database (PGlite) and again on PostgreSQL. Ends with "N passed, N failed".
#   scripts/test.sh [vitest args...]     e.g. scripts/test.sh test/sync-engine.test.ts
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/bootstrap.sh
source "$root/scripts/bootstrap.sh" || exit 1
bash "$root/scripts/ensure-test-services.sh" || exit 1

results=$(mktemp -d)
status=0
for target in pglite postgres; do
  echo "== tests on $target =="
  SNOWTORCH_TEST_DB=$target npx vitest run --reporter=default \
    --reporter=json --outputFile="$results/$target.json" "$@" || status=1
done
node "$root/scripts/count-results.mjs" "$results"/*.json || status=1
exit $status
