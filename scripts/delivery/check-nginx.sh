#!/usr/bin/env bash
# deploy/nginx: `nginx -t` before and after the certificate exists (a throwaway self-signed one
# stands in for Let's Encrypt's), then nginx running for real on 127.0.0.1 high ports in front of
# a stand-in app: ACME webroot, health page, HTTP -> HTTPS redirect, proxy headers, security
# headers, body limit, /metrics kept internal, upstream failure; the TLS entrypoint script
# enabling HTTPS and reloading nginx when a certificate appears; then the real app behind it:
# a login over TLS with a Secure cookie and the client's own address in the audit log.
# Differences from the container, made in a scratch copy only: ports 80/443 become free high
# ports on 127.0.0.1, the upstream is 127.0.0.1 instead of Docker's DNS name `app`, and on an
# nginx older than 1.25.1 (Debian 12 has 1.22) the `http2 on;` line is dropped (the image runs
# 1.28, where it is the current syntax).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/delivery/lib.sh
source "$here/lib.sh"
need_pkg nginx nginx || { not_ok "nginx is installed"; exit 1; }
need_pkg curl curl || { not_ok "curl is installed"; exit 1; }
py=$(yaml_python) || { not_ok "a YAML parser for Python (PyYAML) is available"; exit 1; }

T=$(mktemp -d)
chmod 755 "$T"
pids=()
cleanup() {
  stop_tls_watcher
  [ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.2
  rm -rf "$T"
}
trap cleanup EXIT

src=$DELIVERY_ROOT/deploy/nginx
p80=$(free_port)
p443=$(free_port)
pup=$(free_port)
version=$(nginx -v 2>&1 | sed -E 's|.*nginx/([0-9.]+).*|\1|')
old_nginx=false
if [ "$(printf '%s\n1.25.1\n' "$version" | sort -V | head -1)" != 1.25.1 ]; then old_nginx=true; fi

# The container layout under $T/conf (= /etc/nginx), certificates under $T/live.
mkdir -p "$T/conf" "$T/live" "$T/webroot/.well-known/acme-challenge" "$T/logs"
cp "$src/nginx.conf" "$T/conf/"
cp -R "$src/snowtorch" "$T/conf/"
cp /etc/nginx/mime.types "$T/conf/"
sed -i "s|^pid .*|pid $T/nginx.pid;|; s|^error_log .*|error_log $T/logs/error.log warn;|" "$T/conf/nginx.conf"
sed -i "s|access_log /dev/stdout main;|access_log $T/logs/access.log main;|" "$T/conf/nginx.conf"
sed -i "s|listen 80 default_server;|listen 127.0.0.1:$p80 default_server;|; /listen \[::\]/d; s|root /var/www/certbot;|root $T/webroot;|" \
  "$T/conf/snowtorch/http.conf"
sed -i "s|listen 443 ssl default_server;|listen 127.0.0.1:$p443 ssl default_server;|; /listen \[::\]/d" "$T/conf/snowtorch/https.conf"
if [ "$old_nginx" = true ]; then sed -i '/http2 on;/d' "$T/conf/snowtorch/https.conf"; fi
printf 'set $snowtorch_upstream http://127.0.0.1:%s;\n' "$pup" >"$T/conf/snowtorch/upstream.conf"
check "the production upstream resolves 'app' through Docker's DNS at request time" \
  grep -q 'resolver 127.0.0.11' "$src/snowtorch/upstream.conf"

# A stub nginx on PATH for the TLS script, recording what it is asked to do.
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "nginx $*" >>%s/nginx-calls.log\n' "$T" >"$T/bin/nginx"
chmod +x "$T/bin/nginx"
# The script leaves its watcher loop running: start it in its own session so that the whole
# process group (id = the script's pid) can be ended at once.
tls_script() {
  setsid env PATH="$T/bin:$PATH" SNOWTORCH_TLS_LIVE="$T/live" SNOWTORCH_NGINX_DIR="$T/conf" \
    SNOWTORCH_TLS_WATCH_SECONDS=1 sh "$src/40-snowtorch-tls.sh" >"$T/tls-script.log" 2>&1 &
  tls_group=$!
  for _ in $(seq 50); do grep -q 'snowtorch-tls:' "$T/tls-script.log" 2>/dev/null && break; sleep 0.1; done
}
stop_tls_watcher() {
  if [ -n "${tls_group:-}" ]; then kill -- "-$tls_group" 2>/dev/null; tls_group=""; fi
}
nginx_t() { nginx -t -q -c "$T/conf/nginx.conf" -p "$T/conf" -e "$T/logs/error.log"; }

# Before the certificate: port 80 only.
tls_script
check "no certificate yet: the TLS script leaves HTTPS disabled" test ! -e "$T/conf/enabled/https.conf"
check "no certificate yet: nginx -t accepts the configuration (port 80 only)" nginx_t

# The certificate appears (certbot issued it): the watcher enables HTTPS and reloads nginx.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=snowtorch.invalid \
  -addext subjectAltName=DNS:snowtorch.invalid \
  -keyout "$T/live/privkey.pem" -out "$T/live/fullchain.pem" >/dev/null 2>&1
for _ in $(seq 50); do grep -q 'reload' "$T/nginx-calls.log" 2>/dev/null && break; sleep 0.1; done
check "certificate issued: the watcher enables HTTPS and reloads nginx" \
  bash -c "test -f '$T/conf/enabled/https.conf' && grep -q -- '-s reload' '$T/nginx-calls.log'"
check "certificate issued: tls/ points at the live certificate" test "$(readlink "$T/conf/tls")" = "$T/live"
stop_tls_watcher
if [ "$old_nginx" = true ]; then sed -i '/http2 on;/d' "$T/conf/enabled/https.conf"; fi
sed -i "s|listen 443 ssl default_server;|listen 127.0.0.1:$p443 ssl default_server;|; /listen \[::\]/d" "$T/conf/enabled/https.conf"
check "with the certificate: nginx -t accepts the configuration (HTTP and HTTPS)" nginx_t

# A stand-in app that echoes what it received.
cat >"$T/upstream.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Powered-By", "stand-in")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_POST = do_GET
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$T/upstream.py" "$pup" &
pids+=($!)
wait_for_port "$pup" 10 || not_ok "stand-in app listens"

if ! nginx -c "$T/conf/nginx.conf" -p "$T/conf" -e "$T/logs/error.log"; then
  not_ok "nginx starts with the configuration"
  cat "$T/logs/error.log"
  exit 1
fi
wait_for_port "$p443" 10 || { not_ok "nginx listens on 127.0.0.1:$p443"; exit 1; }
ok "nginx starts with the configuration and listens on 127.0.0.1"

http() { curl -sS --max-time 10 "$@"; }
https() { curl -sS --max-time 10 --cacert "$T/live/fullchain.pem" --resolve "snowtorch.invalid:$p443:127.0.0.1" "$@"; }

echo "token-content" >"$T/webroot/.well-known/acme-challenge/abc123"
check "port 80 serves ACME challenges from the webroot" \
  test "$(http "http://127.0.0.1:$p80/.well-known/acme-challenge/abc123")" = token-content
check "port 80 answers 404 for an unknown challenge (no redirect)" \
  test "$(http -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p80/.well-known/acme-challenge/nope")" = 404
check "port 80 health page answers 200" test "$(http "http://127.0.0.1:$p80/nginx-health")" = ok
health_cmd=$("$py" -c 'import yaml,sys; print(yaml.safe_load(open(sys.argv[1]))["services"]["nginx"]["healthcheck"]["test"][3])' "$DELIVERY_ROOT/compose.yaml")
check "compose's nginx health check command passes against it" bash -c "${health_cmd//127.0.0.1\/80/127.0.0.1/$p80}"
redirect=$(http -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: snowtorch.invalid' "http://127.0.0.1:$p80/night/2025-01-02?x=1")
check "HTTP redirects permanently to HTTPS, keeping path and query ($redirect)" \
  test "$redirect" = "301 https://snowtorch.invalid/night/2025-01-02?x=1"

https -D "$T/headers" -o "$T/body" "https://snowtorch.invalid:$p443/api/nights?from=2025-01-01"
check "HTTPS proxies to the app with the original path" \
  python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); sys.exit(b["path"] != "/api/nights?from=2025-01-01")' "$T/body"
check "the app sees Host, X-Forwarded-Proto https and X-Forwarded-For" \
  python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["headers"]; sys.exit(not (h.get("host","").startswith("snowtorch.invalid") and h.get("x-forwarded-proto")=="https" and h.get("x-forwarded-for")=="127.0.0.1" and h.get("x-real-ip")=="127.0.0.1"))' "$T/body"
for header in 'strict-transport-security: max-age=63072000' 'x-content-type-options: nosniff' \
  'x-frame-options: DENY' 'referrer-policy: strict-origin-when-cross-origin'; do
  check "HTTPS response carries ${header%%:*}" grep -qi "^$header" "$T/headers"
done
refute "the nginx version is not disclosed" grep -qiE '^server: nginx/[0-9]' "$T/headers"
refute "the app's X-Powered-By is hidden" grep -qi '^x-powered-by' "$T/headers"
check "TLS 1.1 is refused" bash -c "! curl -sS --max-time 5 -k --tls-max 1.1 https://127.0.0.1:$p443/ -o /dev/null 2>/dev/null"
check "/readyz is proxied" test "$(https -o /dev/null -w '%{http_code}' "https://snowtorch.invalid:$p443/readyz")" = 200
head -c 2000000 /dev/zero >"$T/big.bin"
check "a request body over 1 MB is refused with 413" \
  test "$(https -o /dev/null -w '%{http_code}' -X POST --data-binary "@$T/big.bin" "https://snowtorch.invalid:$p443/api/x")" = 413

check "/metrics is not served through nginx (403)" \
  test "$(https -o /dev/null -w '%{http_code}' "https://snowtorch.invalid:$p443/metrics")" = 403
check "nor its encoded, trailing-slash or doubled-slash variants" bash -c '
  for path in /%6detrics /metrics/ //metrics "/metrics?x=1"; do
    code=$(curl -sS --max-time 10 --cacert "$1/live/fullchain.pem" --resolve "snowtorch.invalid:$2:127.0.0.1" \
      -o /dev/null -w "%{http_code}" "https://snowtorch.invalid:$2$path")
    [ "$code" = 403 ] || { echo "$path: $code"; exit 1; }
  done' _ "$T" "$p443"
https -o "$T/body" -H 'X-Forwarded-For: 203.0.113.66' "https://snowtorch.invalid:$p443/"
check "a client's own X-Forwarded-For is replaced by the address nginx saw" \
  python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["headers"]; sys.exit(h.get("x-forwarded-for") != "127.0.0.1")' "$T/body"

kill "${pids[0]}" 2>/dev/null
sleep 0.3
check "app down: nginx answers 502 at once (connect timeout 5 s)" \
  test "$(https -o /dev/null -w '%{http_code}' "https://snowtorch.invalid:$p443/")" = 502

# The real app behind this configuration, as compose runs it (SNOWTORCH_TRUST_PROXY = nginx's
# address, here 127.0.0.1): a browser at another address (127.0.0.2) logs in over TLS, gets a
# Secure session cookie, and the audit log shows its address, not nginx's nor a forged one.
# shellcheck source=scripts/bootstrap.sh
if ! source "$DELIVERY_ROOT/scripts/bootstrap.sh" >"$T/bootstrap.log" 2>&1; then
  not_ok "Node.js 24 and the dependencies for the app"
  finish
fi
password='a password for the nginx check'
appenv=(env SNOWTORCH_DATA_DIR="$T/app-data" SNOWTORCH_HOST=127.0.0.1 SNOWTORCH_PORT="$pup"
  SNOWTORCH_TRUST_PROXY=127.0.0.1 SNOWTORCH_PUBLIC_URL="https://snowtorch.invalid:$p443"
  SNOWTORCH_SYNC_INTERVAL_MINUTES=0 LOG_LEVEL=warn)
check "the owner account is created from the terminal" \
  bash -c 'printf "%s\n%s\n" "$1" "$1" | "${@:3}" node "$2/bin/snowtorch.js" users create owner --owner >/dev/null' \
  _ "$password" "$DELIVERY_ROOT" "${appenv[@]}"
"${appenv[@]}" node "$DELIVERY_ROOT/bin/snowtorch.js" serve >"$T/app.log" 2>&1 &
pids+=($!)
if ! wait_for_port "$pup" 180; then
  not_ok "the app listens on 127.0.0.1:$pup"
  tail -20 "$T/app.log"
  finish
fi
browser() { https --interface 127.0.0.2 -b "$T/jar" -c "$T/jar" "$@"; }
browser -o "$T/me.json" "https://snowtorch.invalid:$p443/api/me"
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrfToken"])' "$T/me.json" 2>/dev/null)
# Origin as the browser sends it in production (port 443): nginx passes Host without the port.
browser -D "$T/login.h" -o "$T/login.json" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
  -H "origin: https://snowtorch.invalid" -H 'X-Forwarded-For: 203.0.113.66' \
  --data "{\"name\":\"owner\",\"password\":\"$password\"}" "https://snowtorch.invalid:$p443/api/auth/login"
check "login over TLS through nginx succeeds" grep -q '"csrfToken"' "$T/login.json"
check "the session cookie is Secure (the app believes nginx's X-Forwarded-Proto)" \
  grep -qiE '^set-cookie: snowtorch_session=[^;]+;.*; *secure' "$T/login.h"
browser -o "$T/audit.json" "https://snowtorch.invalid:$p443/api/audit"
check "the audit log records the login from the browser's own address (127.0.0.2)" \
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["entries"]; sys.exit(not any(x["event"]=="login" and x["ip"]=="127.0.0.2" for x in e))' "$T/audit.json"
check "no audit entry carries nginx's address or the forged X-Forwarded-For" \
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["entries"]; sys.exit(any(x["ip"] in ("127.0.0.1","203.0.113.66") for x in e))' "$T/audit.json"
check "the app's /metrics answers on the private side only (direct 200, through nginx 403)" \
  bash -c 'test "$(curl -sS -o /dev/null -w "%{http_code}" "http://127.0.0.1:$1/metrics")" = 200 &&
    test "$(curl -sS --max-time 10 --cacert "$2/live/fullchain.pem" --resolve "snowtorch.invalid:$3:127.0.0.1" \
      -o /dev/null -w "%{http_code}" "https://snowtorch.invalid:$3/metrics")" = 403' _ "$pup" "$T" "$p443"
finish
