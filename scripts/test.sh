#!/usr/bin/env bash
# The whole test suite, on a fresh machine: Node.js 24, dependencies, Chromium for the browser
# tests, a PostgreSQL 15 on 127.0.0.1:5432 (started when none answers). Every test runs on the
# embedded PostgreSQL 18 (a throwaway server vitest starts); at the same time the tests of the
# database layer, sync and server queries run again on PostgreSQL 15, the oldest release we
# support. Ends with "N passed, N failed".
#   scripts/test.sh [vitest args...]     e.g. scripts/test.sh test/sync-engine.test.ts
#                                        (with arguments, both servers run exactly those)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/bootstrap.sh
source "$root/scripts/bootstrap.sh" || exit 1
bash "$root/scripts/ensure-test-services.sh" || exit 1

# What PostgreSQL 15 must also pass: everything that sends SQL of its own (storage, queries,
# sync, jobs, accounts). Browser, simulator, Oura client and pure-function tests do not depend
# on the server's version.
PG15_TESTS=(test/db-{cli,documents,fixtures,migrate,rebuild,sleep-day,timeseries}.test.ts test/sync-*.test.ts test/live-*.test.ts test/server-*.test.ts
  test/accounts-*.test.ts test/security-isolation.test.ts test/token-store.test.ts
  test/oura-connect.test.ts)

# SNOWTORCH_TEST_RESULTS=DIR keeps the JSON reports (per-test durations) there.
if [ -n "${SNOWTORCH_TEST_RESULTS:-}" ]; then results=$SNOWTORCH_TEST_RESULTS && mkdir -p "$results"
else results=$(mktemp -d) && trap 'rm -rf "$results"' EXIT; fi
if [ $# -gt 0 ]; then pg15_args=("$@"); else pg15_args=("${PG15_TESTS[@]}"); fi
# The PostgreSQL 15 run goes alongside (its output is shown after the main run's): most of
# both runs is waiting on servers and child processes, not on the CPU.
SNOWTORCH_TEST_DB=postgres npx vitest run --maxWorkers=2 --reporter=default \
  --reporter=json --outputFile="$results/postgres15.json" "${pg15_args[@]}" \
  >"$results/postgres15.log" 2>&1 &
pg15=$!
status=0
echo "== every test on the embedded PostgreSQL 18 =="
SNOWTORCH_TEST_DB=embedded npx vitest run --reporter=default \
  --reporter=json --outputFile="$results/embedded.json" "$@" || status=1
wait "$pg15" || status=1
echo "== database, sync and server tests on PostgreSQL 15 =="
cat "$results/postgres15.log"
node "$root/scripts/count-results.mjs" "$results"/*.json || status=1
exit $status
