#!/usr/bin/env bash
# .gitlab-ci.yml and .github/workflows/*.yml, parsed as YAML (PyYAML) and checked for the jobs,
# stages, rules, environments, permissions and SSH practices docs/deploy.md promises
# (pipeline_checks.py).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
py=$(yaml_python) || { not_ok "a YAML parser for Python (PyYAML) is available"; exit 1; }
$py "$here/pipeline_checks.py" "$DELIVERY_ROOT" || failures=$((failures + 1))
finish
