#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts (mounted into /docker-entrypoint.d/).
# Enables the HTTPS server once Let's Encrypt has issued the certificate, and keeps watching:
# when certbot issues or renews it, nginx reloads within a minute. Until then only port 80
# answers (ACME challenges and the redirect), so nginx starts on a fresh machine.
set -eu
# Overridable only so the delivery checks can run this script outside the container.
live=${SNOWTORCH_TLS_LIVE:-/etc/letsencrypt/live/snowtorch}
conf=${SNOWTORCH_NGINX_DIR:-/etc/nginx}
interval=${SNOWTORCH_TLS_WATCH_SECONDS:-60}
enabled=$conf/enabled
mkdir -p "$enabled"

enable_https() {
  if [ -s "$live/fullchain.pem" ] && [ -s "$live/privkey.pem" ]; then
    ln -sfn "$live" "$conf/tls"
    cp "$conf/snowtorch/https.conf" "$enabled/https.conf"
    return 0
  fi
  rm -f "$enabled/https.conf"
  return 1
}

fingerprint() {
  cat "$live/fullchain.pem" "$live/privkey.pem" 2>/dev/null | cksum
}

if enable_https; then
  echo "snowtorch-tls: HTTPS enabled with $live"
else
  echo "snowtorch-tls: no certificate in $live yet; serving port 80 only until certbot issues it"
fi

(
  last=$(fingerprint)
  while sleep "$interval"; do
    now=$(fingerprint)
    if [ "$now" != "$last" ]; then
      last=$now
      if enable_https && nginx -t -q; then
        echo "snowtorch-tls: certificate changed, reloading nginx"
        nginx -s reload
      fi
    fi
  done
) &
