#!/bin/sh
# The certbot container's loop (compose.yaml): obtain the certificate for $SNOWTORCH_DOMAIN with
# the HTTP-01 webroot challenge (nginx serves /var/www/certbot), then try a renewal twice a day.
# Certificates are stored under the fixed name "snowtorch", which nginx's config refers to.
set -u
webroot=/var/www/certbot
trap 'exit 0' TERM INT

if [ -z "${SNOWTORCH_DOMAIN:-}" ] || [ "$SNOWTORCH_DOMAIN" = localhost ]; then
  echo "certbot: SNOWTORCH_DOMAIN is not a public domain; no certificate will be requested"
  while :; do sleep 86400 & wait $!; done
fi
if [ -z "${LETSENCRYPT_EMAIL:-}" ]; then
  echo "certbot: set LETSENCRYPT_EMAIL in .env (expiry notices go there)" >&2
  exit 1
fi
staging=""
if [ "${LETSENCRYPT_STAGING:-false}" = true ]; then staging="--test-cert"; fi

while :; do
  if [ -f /etc/letsencrypt/renewal/snowtorch.conf ]; then
    certbot renew --webroot -w "$webroot" --quiet
    pause=43200
  elif certbot certonly --webroot -w "$webroot" --cert-name snowtorch -d "$SNOWTORCH_DOMAIN" \
    --email "$LETSENCRYPT_EMAIL" --agree-tos --no-eff-email --non-interactive \
    --keep-until-expiring ${staging:+"$staging"}; then
    echo "certbot: certificate issued for $SNOWTORCH_DOMAIN"
    pause=43200
  else
    # Let's Encrypt limits failed validations per hour: wait before trying again (is DNS set?).
    echo "certbot: could not obtain a certificate for $SNOWTORCH_DOMAIN; retrying in 1 hour" >&2
    pause=3600
  fi
  sleep "$pause" & wait $!
done
